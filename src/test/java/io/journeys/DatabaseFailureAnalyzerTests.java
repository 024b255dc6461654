package io.journeys;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The start failures that mean "no usable database" get one clear report. */
class DatabaseFailureAnalyzerTests {

	@Test
	void noUrlIsReportedAsNotConfigured() {
		var analysis = new DatabaseFailureAnalyzer(new MockEnvironment())
			.analyze(new BeanCreationException("dataSource", "Failed to determine a suitable driver class"));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.isEqualTo("journeys-service failed to start: " + DatabaseFailureAnalyzer.NOT_CONFIGURED);
	}

	@Test
	void aRefusedConnectionNamesTheUrlWithoutItsQuery() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url",
				"jdbc:postgresql://db:5432/journeys?password=secret");
		var analysis = new DatabaseFailureAnalyzer(environment).analyze(new BeanCreationException("flyway",
				"init failed", new IllegalStateException(new SQLException("Connection to db:5432 refused", "08001"))));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo(
				"journeys-service failed to start: cannot reach the database at jdbc:postgresql://db:5432/journeys:"
						+ " Connection to db:5432 refused");
	}

	@Test
	void otherFailuresAreLeftToBoot() {
		MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url",
				"jdbc:postgresql://db:5432/journeys");
		assertThat(new DatabaseFailureAnalyzer(environment).analyze(new IllegalStateException("port in use"))).isNull();
		assertThat(new DatabaseFailureAnalyzer(environment)
			.analyze(new SQLException("relation \"x\" does not exist", "42P01"))).isNull();
	}

}
