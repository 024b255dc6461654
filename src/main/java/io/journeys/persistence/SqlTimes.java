package io.journeys.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

public final class SqlTimes {

	/** Year 1: earlier years get a {@code BC} suffix that ISO-8601 has no place for. */
	public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	private SqlTimes() {
	}

	/** Binding an instant PostgreSQL cannot store fails the statement. */
	public static boolean storable(Instant instant) {
		return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
	}

	public static @Nullable OffsetDateTime bind(@Nullable Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

	public static @Nullable Instant read(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
