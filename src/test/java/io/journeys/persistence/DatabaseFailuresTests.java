package io.journeys.persistence;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lost database is a 503; "feature not supported" (as Citus says it) is a bug, a 500.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFailuresTests {

	@Test
	void featureNotSupportedIsNotALostDatabase() {
		SQLException refused = new SQLException("could not run distributed query with FOR UPDATE/SHARE commands",
				"0A000");
		for (Exception failure : new Exception[] { new UncategorizedSQLException("select", "select", refused),
				new DataAccessResourceFailureException("wrapped", refused) }) {
			assertThat(DatabaseFailures.isNotSupported(failure)).isTrue();
			assertThat(DatabaseFailures.isUnavailable(failure)).isFalse();
		}
	}

	@Test
	void aClosedConnectionIsALostDatabase() {
		SQLException lost = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat(DatabaseFailures.isUnavailable(new DataAccessResourceFailureException("lost", lost))).isTrue();
		assertThat(DatabaseFailures.isNotSupported(lost)).isFalse();
	}

	/**
	 * Issue 24: a worker a Citus coordinator could not reach is said as such, in one line
	 * naming the node, never the statement; a commit that failed says its outcome is
	 * unknown.
	 */
	@Test
	void aLostNodeIsNamedInOneLineAndTheAnswerSaysWhatFailed() {
		PSQLException node = new PSQLException(new org.postgresql.util.ServerErrorMessage(
				"SERROR\0C08006\0Mconnection to the remote node postgres@127.0.0.1:9701 failed with the following "
						+ "error: Connection refused\n\tIs the server running on that host?\0"));
		Exception failure = new DataAccessResourceFailureException(
				"PreparedStatementCallback; SQL [select j.state\nfrom journeys j\nwhere j.id = ?]", node);
		assertThat(DatabaseFailures.isUnavailable(failure)).isTrue();
		assertThat(DatabaseFailures.remoteNode(failure)).isTrue();
		assertThat(DatabaseFailures.message(failure)).isEqualTo(DatabaseFailures.NODE_MESSAGE)
			.contains("retry after 5 seconds");
		assertThat(DatabaseFailures.describe(failure)).isEqualTo("SQLSTATE 08006: ERROR: connection to the remote node "
				+ "postgres@127.0.0.1:9701 failed with the following error: Connection refused");

		PSQLException stale = new PSQLException(new org.postgresql.util.ServerErrorMessage(
				"SERROR\0CXX000\0Mfailure on connection marked as essential: 127.0.0.1:9701\0"));
		Exception afterRestart = new org.springframework.orm.jpa.JpaSystemException(new RuntimeException(stale));
		assertThat(DatabaseFailures.isUnavailable(afterRestart)).as("a stale connection to a restarted worker")
			.isTrue();
		assertThat(DatabaseFailures.message(afterRestart)).isEqualTo(DatabaseFailures.NODE_MESSAGE);
		assertThat(DatabaseFailures.isUnavailable(new PSQLException(
				new org.postgresql.util.ServerErrorMessage("SERROR\0CXX000\0Msomething else broke\0"))))
			.isFalse();

		SQLException socket = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat(DatabaseFailures.remoteNode(socket)).isFalse();
		assertThat(DatabaseFailures.message(socket)).isEqualTo(DatabaseFailures.MESSAGE)
			.doesNotContain("did not answer");

		Exception commit = new TransactionSystemException("JDBC commit failed",
				new SQLException("could not commit transaction for shard 102142 on at least one active node", "XX000"));
		assertThat(DatabaseFailures.isUnavailable(commit)).isTrue();
		assertThat(DatabaseFailures.message(commit)).contains("may or may not have been made");
		assertThat(DatabaseFailures.isUnavailable(new TransactionSystemException("no SQL behind it"))).isFalse();
	}

	@Test
	void oneLinePerFailureAndAStackTraceOnceAMinutePerCause(CapturedOutput output) {
		Logger log = LoggerFactory.getLogger("io.journeys.persistence.DatabaseFailuresTests.log");
		for (int i = 0; i < 20; i++) {
			DatabaseFailures.log(log, "database unavailable",
					new DataAccessResourceFailureException("lost", new SQLException(
							"connection to the remote node 127.0.0.1:" + (9701 + i % 2) + " failed", "08006")));
		}
		DatabaseFailures.log(log, "database unavailable",
				new DataAccessResourceFailureException("lost", new SQLException("terminated", "57P01")));
		String logged = output.getAll();
		assertThat(logged.lines().filter(line -> line.contains("database unavailable: SQLSTATE"))).hasSize(21);
		assertThat(logged.lines().filter(line -> line.contains("stack trace once a minute")))
			.as("one stack trace for the remote-node cause (both nodes' lines are one cause), one for the other")
			.hasSize(2);
		assertThat(logged.lines().filter(line -> line.startsWith("\tat "))).isNotEmpty();
	}

}
