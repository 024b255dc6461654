package io.journeys.persistence;

import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The last row of a page ordered by time, then id, bound as {@code :afterAt} and
 * {@code :afterId}: null on the first page, where PostgreSQL folds the condition away.
 */
public record Keyset(Instant at, UUID id) {

	public static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, @Nullable Keyset after) {
		return statement
			.param("afterAt", after == null ? null : SqlTimes.bind(after.at()), Types.TIMESTAMP_WITH_TIMEZONE)
			.param("afterId", after == null ? null : after.id(), Types.OTHER);
	}

}
