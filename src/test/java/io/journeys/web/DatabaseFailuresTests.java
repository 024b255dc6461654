package io.journeys.web;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lost database is a 503; "feature not supported" (as Citus says it) is a bug, a 500.
 */
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

}
