package io.journeys;

import java.sql.DriverManager;
import java.sql.SQLException;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Checks, before anything else starts, that a database is configured and answers, so that
 * a misconfigured production start fails with one clear line instead of a page of stack
 * traces.
 */
final class DatabasePreflight implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Environment env = event.getEnvironment();
		String url = env.getProperty("spring.datasource.url");
		if (url == null || url.isBlank()) {
			fail("no database configured: set SPRING_DATASOURCE_URL (e.g. jdbc:postgresql://localhost:5432/journeys),"
					+ " SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD");
		}
		DriverManager.setLoginTimeout(10);
		try (var connection = DriverManager.getConnection(url, env.getProperty("spring.datasource.username"),
				env.getProperty("spring.datasource.password"))) {
			connection.isValid(5);
		}
		catch (SQLException ex) {
			fail("cannot reach the database at " + url + ": " + ex.getMessage());
		}
	}

	private static void fail(String message) {
		System.err.println("journeys-service failed to start: " + message);
		System.exit(1);
	}

}
