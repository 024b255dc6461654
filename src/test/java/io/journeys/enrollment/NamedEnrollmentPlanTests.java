package io.journeys.enrollment;

import java.util.List;

import io.journeys.support.MigratedDatabase;
import io.journeys.support.PlanProbe;
import io.journeys.support.RepositoryTest;
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
			"requestId", "idPrefix", "idBase", "eventPrefix", "eventBase", "firstId", "lastId", "blockSize");

	@Test
	void theGenericPlanMadeOnEmptyTablesProbesIndexesOnly() throws Exception {
		String plan = PlanProbe.onEmptyCopies(
				List.of("journeys", "contacts", "enrollments", "subscriptions", "lifecycle_entered_blocks"),
				EnrollPoolConfiguration.SESSION_OPTIONS, statement -> {
					statement.execute("prepare enroll_named (uuid, uuid, text[], timestamptz, timestamptz, uuid, text, "
							+ "text, bigint, text, bigint, uuid, uuid, bigint) as "
							+ positional(PlainEnrollStatements.LOCK_AND_ENROLL_NAMED.split(";\n", 2)[1]));
					String named = PlanProbe.explain(statement, "explain execute enroll_named (gen_random_uuid(), "
							+ "gen_random_uuid(), '{a@x.com,b@x.com}', now(), now(), null, 'r', '019a0000000070aa', "
							+ "-8070450532247928832, '019a0000000070ab', -8070450532247928832, gen_random_uuid(), "
							+ "gen_random_uuid(), 1099511627776)");
					statement
						.execute("prepare lock_journey (uuid, uuid) as " + positional(EnrollStatements.LOCK_JOURNEY));
					return named + PlanProbe.explain(statement,
							"explain execute lock_journey (gen_random_uuid(), gen_random_uuid())");
				});
		// (the copies' indexes have generated names)
		assertThat(plan).as("generic plan")
			.containsPattern("Index Scan using \\S+ on journeys")
			.containsPattern("Index Scan using \\S+ on contacts c")
			.containsPattern("Index Only Scan using \\S+ on enrollments e ");
		assertThat(plan).as("generic plan").doesNotContain("Seq Scan", "Hashed SubPlan", "Hash Join");
	}

	/** The statement with {@code $n} in place of its named parameters. */
	private static String positional(String sql) {
		return PlanProbe.positional(sql, PARAMETERS);
	}

	/** The migrated tables are all this test reads. */
	@Configuration(proxyBeanMethods = false)
	@Import(MigratedDatabase.class)
	static class Database {

	}

}
