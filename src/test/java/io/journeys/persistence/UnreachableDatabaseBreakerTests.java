package io.journeys.persistence;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The breaker in front of each pool: a database that cannot be reached makes the next
 * callers fail at once, a pool whose connections are all busy does not.
 */
class UnreachableDatabaseBreakerTests {

	private final UnreachableDatabaseBreaker breaker = new UnreachableDatabaseBreaker(
			new DatabaseProperties(Duration.ofSeconds(30)));

	@Test
	void aDatabaseThatCannotBeReachedIsRefusedAtOnceAfterTheFirstTimeout() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres", 10)) {
			DataSource guarded = guarded(pool);
			long first = millis(() -> assertThatExceptionOfType(SQLTransientConnectionException.class)
				.isThrownBy(guarded::getConnection)
				.withMessageContaining("request timed out"));
			assertThat(first).as("the first caller waits the connection timeout").isGreaterThanOrEqualTo(400);
			for (int i = 0; i < 20; i++) {
				long next = millis(() -> assertThatExceptionOfType(SQLTransientConnectionException.class)
					.isThrownBy(guarded::getConnection)
					.withMessageContaining("refused without waiting")
					.satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("08001")));
				assertThat(next).as("a caller after it is refused without waiting").isLessThan(100);
			}
		}
	}

	@Test
	void aPoolWhoseConnectionsAreAllBusyKeepsLettingCallersWait() throws Exception {
		TestDatabase database = TestDatabase.get();
		try (HikariDataSource pool = pool(database.url(), 1)) {
			pool.setUsername(database.username());
			pool.setPassword(database.password());
			DataSource guarded = guarded(pool);
			try (Connection held = guarded.getConnection()) {
				assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(guarded::getConnection)
					.withMessageContaining("request timed out")
					.satisfies(ex -> assertThat(ex.getSQLState()).isNull());
			}
			try (Connection next = guarded.getConnection()) {
				assertThat(next.isValid(1)).as("the next caller gets a connection").isTrue();
			}
		}
	}

	@Test
	void theProxyIsStillTheHikariPoolForEverythingElse() {
		try (HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:1/postgres", 3)) {
			pool.setPoolName("named");
			Object guarded = this.breaker.postProcessAfterInitialization(pool, "named");
			assertThat(guarded).isInstanceOf(HikariDataSource.class).isNotSameAs(pool);
			assertThat(((HikariDataSource) guarded).getPoolName()).isEqualTo("named");
			assertThat(((HikariDataSource) guarded).getMaximumPoolSize()).isEqualTo(3);
			assertThat(this.breaker.postProcessAfterInitialization("not a pool", "other")).isEqualTo("not a pool");
		}
	}

	private DataSource guarded(HikariDataSource pool) {
		return (DataSource) this.breaker.postProcessAfterInitialization(pool, "test");
	}

	private static HikariDataSource pool(String url, int size) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(url);
		pool.setMaximumPoolSize(size);
		pool.setConnectionTimeout(500);
		pool.setInitializationFailTimeout(-1);
		return pool;
	}

	private static long millis(Runnable action) {
		long start = System.nanoTime();
		action.run();
		return (System.nanoTime() - start) / 1_000_000;
	}

}
