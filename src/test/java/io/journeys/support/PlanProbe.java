package io.journeys.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans of the service's statements as PostgreSQL makes them on statistics that say
 * "empty" (the worst a plan can be made with, as right after a migration): on copies of
 * the migrated tables in a schema of their own, dropped afterwards.
 */
public final class PlanProbe {

	private PlanProbe() {
	}

	/** What to do on the copies: prepare, fill, explain. */
	public interface Explained {

		String plan(Statement statement) throws Exception;

	}

	/**
	 * Empty, analyzed copies of the tables (with their indexes), on a connection with
	 * {@code sessionOptions} (a pool's settings) when given.
	 */
	public static String onEmptyCopies(List<String> tables, @Nullable String sessionOptions, Explained explained)
			throws Exception {
		TestDatabase database = TestDatabase.get();
		Properties properties = new Properties();
		properties.setProperty("user", database.username());
		properties.setProperty("password", database.password());
		if (sessionOptions != null) {
			properties.setProperty("options", sessionOptions);
		}
		String schema = "plan_probe_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection connection = DriverManager.getConnection(database.url(), properties);
				Statement statement = connection.createStatement()) {
			statement.execute("create schema " + schema);
			try {
				for (String table : tables) {
					statement
						.execute("create table %s.%s (like public.%s including all)".formatted(schema, table, table));
					statement.execute("analyze %s.%s".formatted(schema, table));
				}
				statement.execute("set search_path = " + schema + ", public");
				return explained.plan(statement);
			}
			finally {
				statement.execute("reset search_path");
				statement.execute("drop schema " + schema + " cascade");
			}
		}
	}

	public static String explain(Statement statement, String sql) throws Exception {
		StringBuilder plan = new StringBuilder();
		try (ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				plan.append(rows.getString(1)).append('\n');
			}
		}
		return plan.toString();
	}

	/** The statement with {@code $n} in place of its named parameters, in that order. */
	public static String positional(String sql, List<String> parameters) {
		Matcher names = Pattern.compile("(?<!:):(\\w+)").matcher(sql);
		StringBuilder result = new StringBuilder();
		while (names.find()) {
			int position = parameters.indexOf(names.group(1));
			assertThat(position).as("parameter %s", names.group(1)).isNotNegative();
			names.appendReplacement(result, "\\$" + (position + 1));
		}
		return names.appendTail(result).toString();
	}

}
