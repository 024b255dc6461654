package io.journeys.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

/** Moves instants in and out of {@code timestamptz} columns through plain JDBC. */
public final class SqlTimes {

	/**
	 * The first instant accepted: year 1. PostgreSQL reaches back to 4714 BC, but it
	 * writes years before 1 with an {@code AD/BC} suffix that ISO-8601 has no place for,
	 * and reads neither {@code 0000} nor {@code -4713} in the form Java writes them.
	 */
	public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	/** The last instant accepted: the last of year 9999, the last with four digits. */
	public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	private SqlTimes() {
	}

	/**
	 * Whether the instant lies in the years 1 to 9999, which PostgreSQL stores and gives
	 * back as the same ISO-8601 text; binding one it cannot store fails the statement.
	 */
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
