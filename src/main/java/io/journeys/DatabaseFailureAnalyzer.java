package io.journeys;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/** Ordered first, so that Boot's generic DataSource analysis does not answer instead. */
class DatabaseFailureAnalyzer implements FailureAnalyzer, Ordered {

	static final String NOT_CONFIGURED = "no database configured: set SPRING_DATASOURCE_URL"
			+ " (e.g. jdbc:postgresql://localhost:5432/journeys), SPRING_DATASOURCE_USERNAME and"
			+ " SPRING_DATASOURCE_PASSWORD";

	private final Environment environment;

	DatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		String url = this.environment.getProperty("spring.datasource.url");
		if (url == null || url.isBlank()) {
			return new FailureAnalysis("journeys-service failed to start: " + NOT_CONFIGURED,
					"Point SPRING_DATASOURCE_URL at an empty PostgreSQL database (13 or newer); the migrations run at"
							+ " start. For development, ./mvnw spring-boot:test-run brings an embedded one.",
					failure);
		}
		SQLException cause = connectionFailure(failure);
		if (cause == null) {
			return null;
		}
		// the query part of a JDBC URL may carry a password
		String shown = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
		return new FailureAnalysis(
				"journeys-service failed to start: cannot reach the database at " + shown + ": " + cause.getMessage(),
				"Check that PostgreSQL runs at that address, that the database exists and that"
						+ " SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD are right.",
				failure);
	}

	/** No connection (SQLState 08), refused credentials (28), no such database (3D). */
	private static @Nullable SQLException connectionFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
					|| sql.getSQLState().startsWith("28") || sql.getSQLState().startsWith("3D"))) {
				return sql;
			}
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
