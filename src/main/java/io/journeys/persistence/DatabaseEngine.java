package io.journeys.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
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

	private final boolean routedStatements;

	/**
	 * @param routedStatements whether to use the statements written for Citus on plain
	 * PostgreSQL too ({@code journeys.database.routed-statements}, off by default): they
	 * are plain SQL, and the tests run them on one server this way, so that
	 * {@code ./mvnw verify} covers them without a cluster
	 */
	public DatabaseEngine(DataSource dataSource,
			@Value("${journeys.database.routed-statements:false}") boolean routedStatements) {
		this.citus = detect(dataSource);
		this.routedStatements = this.citus || routedStatements;
	}

	/** Whether the database is a Citus coordinator. */
	public boolean citus() {
		return this.citus;
	}

	/**
	 * Whether to use the statements Citus routes whole to one shard where they differ
	 * from the ones faster on one server: on a Citus coordinator, or when asked to.
	 */
	public boolean routedStatements() {
		return this.routedStatements;
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
