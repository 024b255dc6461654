package io.journeys.support;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the one-shard tests watch Citus: {@link #SESSIONS} and {@link #JDBC_DEBUG} go in
 * their {@code @TestPropertySource}. The service's sessions set
 * {@code citus.multi_task_query_log_level = error}, so any statement that Citus would fan
 * out to several shards fails, and {@code client_min_messages = debug1}, under which
 * Citus tells the client about every statement it cannot send whole to one shard while a
 * router query says nothing; JDBC templates log what the database told them at debug
 * level, and {@link #assertEveryStatementRouted} reads that log. On plain PostgreSQL the
 * Citus setting is an unused placeholder and no such message comes.
 */
public final class CitusRouting {

	public static final String SESSIONS = "spring.datasource.hikari.connection-init-sql="
			+ "set statement_timeout = '60s'; set citus.multi_task_query_log_level = 'error'; "
			+ "set client_min_messages = 'debug1'";

	public static final String JDBC_DEBUG = "logging.level.org.springframework.jdbc.core.JdbcTemplate=debug";

	/** What Citus says, at {@code DEBUG1}, of a statement it does not route whole. */
	private static final Pattern NOT_ROUTED = Pattern.compile("(?i)subplan|recursively plann|coordinator|repartition"
			+ "|redistribut|wrapping relation|not pushable|cannot perform distributed|only select from distributed"
			+ "|not co-located|cannot push down");

	/** The control message {@link #assertEveryStatementRouted} expects in the log. */
	private static final String CONTROL = "do $$ begin raise debug 'one-shard check: messages are read'; end $$";

	private CitusRouting() {
	}

	/**
	 * Sets the JDBC templates' level again (a context started since this test's own may
	 * have reset it) and sends the control message.
	 */
	public static void startWatching(JdbcClient jdbc) {
		LoggingSystem.get(CitusRouting.class.getClassLoader())
			.setLogLevel("org.springframework.jdbc.core.JdbcTemplate", LogLevel.DEBUG);
		jdbc.sql(CONTROL).update();
	}

	public static void assertEveryStatementRouted(CapturedOutput output) {
		assertThat(output.getAll()).as("the database's messages reach the log").contains("one-shard check");
		List<String> messages = output.getAll().lines().filter(line -> line.contains("SQLWarning ignored")).toList();
		assertThat(messages).as("statements not routed whole to one shard")
			.noneMatch(message -> NOT_ROUTED.matcher(message).find());
	}

}
