package io.journeys.enrollment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.journeys.lifecycle.LifecycleOutbox;
import io.journeys.support.MigratedDatabase;
import io.journeys.support.RepositoryTest;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contacts-only enroll statement runs with one cached generic plan per connection
 * ({@link EnrollPoolConfiguration}). That plan must be index probes whatever the
 * statistics were when it was made: one made while they said {@code enrollments} was
 * empty kept sequential scans while the table grew, and took 28 s for 1,000 emails.
 */
@RepositoryTest
class NamedEnrollmentPlanTests {

	private static final List<String> PARAMETERS = List.of("company", "journey", "emails", "now", "cutoff", "apiKey",
			"requestId", "idPrefix", "idBase", "eventPrefix", "eventBase");

	private static final List<String> ENTERED_PARAMETERS = List.of("company", "journey", "firstId", "lastId", "now",
			"eventPrefix", "eventBase");

	@Test
	void theGenericPlanMadeOnEmptyTablesProbesIndexesOnly() throws Exception {
		String plan = planOnEmptyCopies(
				List.of("journeys", "contacts", "enrollments", "subscriptions", "lifecycle_deliveries"), statement -> {
					statement.execute("prepare enroll_named (uuid, uuid, text[], timestamptz, timestamptz, uuid, text, "
							+ "text, bigint, text, bigint) as "
							+ positional(PlainEnrollStatements.LOCK_AND_ENROLL_NAMED.split(";\n", 2)[1]));
					String named = explain(statement, "explain execute enroll_named (gen_random_uuid(), "
							+ "gen_random_uuid(), '{a@x.com,b@x.com}', now(), now(), null, 'r', '019a0000000070aa', "
							+ "-8070450532247928832, '019a0000000070ab', -8070450532247928832)");
					statement
						.execute("prepare lock_journey (uuid, uuid) as " + positional(EnrollStatements.LOCK_JOURNEY));
					return named
							+ explain(statement, "explain execute lock_journey (gen_random_uuid(), gen_random_uuid())");
				});
		// (the copies' indexes have generated names)
		assertThat(plan).as("generic plan")
			.containsPattern("Index Scan using \\S+ on journeys")
			.containsPattern("Index Scan using \\S+ on contacts c")
			.containsPattern("Index Only Scan using \\S+ on enrollments e ");
		assertThat(plan).as("generic plan").doesNotContain("Seq Scan", "Hashed SubPlan", "Hash Join");
	}

	/**
	 * The {@code enrollment.entered} events written after a routed enroll find its rows
	 * by the id block's range in an index condition, not by every active enrollment of
	 * the journey: here on statistics taken while the company's rows had all ended, then
	 * 5,000 active enrollments of the journey added, as when a journey fills between two
	 * analyzes.
	 */
	@Test
	void theEnteredEventsGenericPlanTakesTheEnrollsIdRange() throws Exception {
		String plan = planOnEmptyCopies(List.of("subscriptions", "enrollments", "lifecycle_deliveries"), statement -> {
			statement.execute("""
					insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at,
					                         completed_at)
					select '00000000-0000-0000-0000-0000000000c1', gen_random_uuid(), gen_random_uuid(),
					       gen_random_uuid(), 'completed', 'contact', now(), now()
					from generate_series(1, 5000)
					""");
			statement.execute("analyze enrollments");
			statement.execute("""
					insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)
					select '00000000-0000-0000-0000-0000000000c1', gen_random_uuid(),
					       '00000000-0000-0000-0000-0000000000a1', gen_random_uuid(), 'active', 'contact', now()
					from generate_series(1, 5000)
					""");
			statement.execute("prepare entered (uuid, uuid, uuid, uuid, timestamptz, text, bigint) as "
					+ positional(LifecycleOutbox.ENTERED, ENTERED_PARAMETERS));
			statement.execute("set plan_cache_mode = force_generic_plan");
			return explain(statement,
					"explain execute entered ('00000000-0000-0000-0000-0000000000c1', "
							+ "'00000000-0000-0000-0000-0000000000a1', gen_random_uuid(), gen_random_uuid(), now(), "
							+ "'019a0000000070aa', -8070450532247928832)");
		});
		assertThat(plan).as("generic plan")
			.containsPattern(
					"Index Scan using \\S+ on enrollments e .*\\n\\s+Index Cond: .*\\(id >= \\$3\\) AND \\(id <= \\$4\\)")
			.doesNotContain("Seq Scan on enrollments");
	}

	private interface Explained {

		String plan(Statement statement) throws Exception;

	}

	/**
	 * Empty, analyzed copies of the tables (with their indexes): statistics that say
	 * "empty", the worst a plan can be made with, as right after a migration; on a
	 * connection with the enroll pool's settings.
	 */
	private static String planOnEmptyCopies(List<String> tables, Explained explained) throws Exception {
		TestDatabase database = TestDatabase.get();
		Properties properties = new Properties();
		properties.setProperty("user", database.username());
		properties.setProperty("password", database.password());
		properties.setProperty("options", EnrollPoolConfiguration.SESSION_OPTIONS);
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

	private static String explain(Statement statement, String sql) throws Exception {
		StringBuilder plan = new StringBuilder();
		try (ResultSet rows = statement.executeQuery(sql)) {
			while (rows.next()) {
				plan.append(rows.getString(1)).append('\n');
			}
		}
		return plan.toString();
	}

	/** The statement with {@code $n} in place of its named parameters. */
	private static String positional(String sql) {
		return positional(sql, PARAMETERS);
	}

	private static String positional(String sql, List<String> parameters) {
		Matcher names = Pattern.compile("(?<!:):(\\w+)").matcher(sql);
		StringBuilder result = new StringBuilder();
		while (names.find()) {
			int position = parameters.indexOf(names.group(1));
			assertThat(position).as("parameter %s", names.group(1)).isNotNegative();
			names.appendReplacement(result, "\\$" + (position + 1));
		}
		return names.appendTail(result).toString();
	}

	/** The migrated tables are all this test reads. */
	@Configuration(proxyBeanMethods = false)
	@Import(MigratedDatabase.class)
	static class Database {

	}

}
