package io.journeys.persistence;

import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A position in a listing ordered by a time and then by id: the last row a page returned.
 * A listing statement takes it as {@code :afterAt} and {@code :afterId}, both null on the
 * first page, in a condition such as
 * {@code (cast(:afterAt as timestamptz) is null or (c.created_at, c.id) > (:afterAt, :afterId))},
 * which PostgreSQL folds away when they are null.
 */
public record Keyset(Instant at, UUID id) {

	/** Binds {@code :afterAt} and {@code :afterId}: the position, or nulls. */
	public static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, @Nullable Keyset after) {
		return statement
			.param("afterAt", after == null ? null : SqlTimes.bind(after.at()), Types.TIMESTAMP_WITH_TIMEZONE)
			.param("afterId", after == null ? null : after.id(), Types.OTHER);
	}

}
