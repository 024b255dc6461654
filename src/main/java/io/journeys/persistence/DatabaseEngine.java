package io.journeys.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.stereotype.Component;

/**
 * Which engine the database is, found once at start: plain PostgreSQL, or a Citus
 * coordinator (the {@code citus} extension is installed in the database; V7 has then
 * distributed the schema). The few statements that cannot be the same on both ask here. A
 * database that does not answer at start is taken for plain PostgreSQL; the main pool
 * reports it.
 */
@Component
public class DatabaseEngine {

	private final boolean citus;

	public DatabaseEngine(DataSource dataSource) {
		this.citus = detect(dataSource);
	}

	/** Whether the database is a Citus coordinator. */
	public boolean citus() {
		return this.citus;
	}

	private static boolean detect(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select 1 from pg_extension where extname = 'citus'")) {
			return rows.next();
		}
		catch (SQLException ex) {
			return false;
		}
	}

}
