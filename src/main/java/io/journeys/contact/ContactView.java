package io.journeys.contact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;

/** {@code attributes}: the JSON object, {@code {}} when none. */
public record ContactView(String object, UUID id, String emailAddress, @Nullable String firstName,
		@Nullable String lastName, String status, @JsonRawValue String attributes, @Nullable String timeZone,
		Instant createdAt, Instant updatedAt) {

	/**
	 * Reads {@code id}, {@code email_address}, ..., {@code attributes},
	 * {@code time_zone}.
	 */
	public static ContactView fromRow(ResultSet rs, int row) throws SQLException {
		return new ContactView("contact", rs.getObject("id", UUID.class), rs.getString("email_address"),
				rs.getString("first_name"), rs.getString("last_name"), rs.getString("status"),
				rs.getString("attributes"), rs.getString("time_zone"), SqlTimes.read(rs, "created_at"),
				SqlTimes.read(rs, "updated_at"));
	}

}
