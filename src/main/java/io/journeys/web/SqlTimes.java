package io.journeys.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;

/** Moves instants in and out of {@code timestamptz} columns through plain JDBC. */
public final class SqlTimes {

	/** The first instant a {@code timestamptz} holds (4714-11-24 BC). */
	public static final Instant EARLIEST = Instant.parse("-4713-11-24T00:00:00Z");

	/** The last instant a {@code timestamptz} holds (294276 AD). */
	public static final Instant LATEST = Instant.parse("+294276-12-31T23:59:59.999999Z");

	private SqlTimes() {
	}

	/**
	 * Whether PostgreSQL can store the instant; binding one it cannot fails the
	 * statement.
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

	/**
	 * The keyset condition of an ascending (time, id) listing, empty on the first page.
	 */
	public static String after(@Nullable Cursor cursor, String timeColumn, String idColumn) {
		return cursor == null ? "" : "and (" + timeColumn + ", " + idColumn + ") > (:afterAt, :afterId)";
	}

}
