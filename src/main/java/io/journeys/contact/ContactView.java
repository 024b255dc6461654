package io.journeys.contact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;

public record ContactView(String object, UUID id, String emailAddress, @Nullable String firstName,
		@Nullable String lastName, String status, Instant createdAt, Instant updatedAt) {

	public static ContactView fromRow(ResultSet rs, int row) throws SQLException {
		return new ContactView("contact", rs.getObject("id", UUID.class), rs.getString("email_address"),
				rs.getString("first_name"), rs.getString("last_name"), rs.getString("status"),
				SqlTimes.read(rs, "created_at"), SqlTimes.read(rs, "updated_at"));
	}

}
