package io.journeys.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Plain PostgreSQL (also when the database does not answer at start) or Citus. */
@Component
public class DatabaseEngine {

	private final boolean citus;

	private final boolean routedStatements;

	/** {@code routedStatements}: the Citus statements on PostgreSQL too, for tests. */
	public DatabaseEngine(DataSource dataSource,
			@Value("${journeys.database.routed-statements:false}") boolean routedStatements) {
		this.citus = detect(dataSource);
		this.routedStatements = this.citus || routedStatements;
	}

	public boolean citus() {
		return this.citus;
	}

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
