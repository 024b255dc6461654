package io.journeys.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import com.zaxxer.hikari.HikariDataSource;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 24: a Citus coordinator reports a worker it could not reach as SQLSTATE 08006,
 * sent as an ERROR over a session that stays good; the pool keeps that session. Here the
 * same answer is raised by a plain PostgreSQL, and the pool of one connection shows
 * whether its session survived (the same backend process) or was replaced.
 */
class SessionFailuresTests {

	private static final String REMOTE_NODE_FAILED = """
			do $$ begin
			  raise exception 'connection to the remote node 127.0.0.1:9701 failed' using errcode = '08006';
			end $$""";

	@Test
	void anErrorTheServerSentKeepsTheSessionEvenWithAConnectionState() throws Exception {
		try (HikariDataSource pool = pool(true)) {
			int before = backend(pool);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> run(pool, REMOTE_NODE_FAILED))
				.satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("08006"));
			assertThat(backend(pool)).as("the same session serves the next caller").isEqualTo(before);
		}
	}

	@Test
	void withoutItHikariWouldHaveClosedThatSession() throws Exception {
		try (HikariDataSource pool = pool(false)) {
			int before = backend(pool);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> run(pool, REMOTE_NODE_FAILED));
			assertThat(backend(pool)).isNotEqualTo(before);
		}
	}

	@Test
	void aSessionTheServerEndedIsReplaced() throws Exception {
		try (HikariDataSource pool = pool(true)) {
			int before = backend(pool);
			assertThatExceptionOfType(SQLException.class)
				.isThrownBy(() -> run(pool, "select pg_terminate_backend(pg_backend_pid())"));
			assertThat(backend(pool)).isNotEqualTo(before);
		}
	}

	/**
	 * A session that finds its cached connection to a restarted worker broken has
	 * companions in the same state: the pool replaces all its sessions, once, so that no
	 * other request meets one (the breaker's post-processor sets this up for every pool
	 * configured with {@code SessionFailures}).
	 */
	@Test
	void aStaleConnectionToARestartedWorkerReplacesThePoolsSessions() throws Exception {
		HikariDataSource configured = pool(true);
		configured.setMaximumPoolSize(3);
		configured.setMinimumIdle(3);
		HikariDataSource pool = (HikariDataSource) new UnreachableDatabaseBreaker(
				new DatabaseProperties(java.time.Duration.ofSeconds(1)))
			.postProcessAfterInitialization(configured, "stale-test");
		try {
			java.util.Set<Integer> before = backends(pool);
			assertThat(before).hasSize(3);
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> run(pool, """
					do $$ begin
					  raise exception 'failure on connection marked as essential: 127.0.0.1:9701';
					end $$"""));
			java.util.Set<Integer> after = backends(pool);
			assertThat(after).hasSize(3).doesNotContainAnyElementsOf(before);
			// at most once in a while: a second such failure right away replaces nothing
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> run(pool,
					"do $$ begin raise exception 'failure on connection marked as essential: x'; end $$"));
			assertThat(backends(pool)).isEqualTo(after);
		}
		finally {
			configured.close();
		}
	}

	/** The backend of every session of the pool, all held at once. */
	private static java.util.Set<Integer> backends(HikariDataSource pool) throws SQLException {
		java.util.List<Connection> held = new java.util.ArrayList<>();
		try {
			java.util.Set<Integer> pids = new java.util.HashSet<>();
			for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
				Connection connection = pool.getConnection();
				held.add(connection);
				try (Statement statement = connection.createStatement();
						ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
					rs.next();
					pids.add(rs.getInt(1));
				}
			}
			return pids;
		}
		finally {
			for (Connection connection : held) {
				connection.close();
			}
		}
	}

	private static HikariDataSource pool(boolean withSessionFailures) {
		TestDatabase database = TestDatabase.get();
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(database.url());
		pool.setUsername(database.username());
		pool.setPassword(database.password());
		pool.setMaximumPoolSize(1);
		if (withSessionFailures) {
			pool.setExceptionOverrideClassName(SessionFailures.class.getName());
		}
		return pool;
	}

	private static int backend(HikariDataSource pool) throws SQLException {
		try (Connection connection = pool.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
			rs.next();
			return rs.getInt(1);
		}
	}

	private static void run(HikariDataSource pool, String sql) throws SQLException {
		try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
