package io.journeys.lifecycle;

import java.util.List;

import io.journeys.support.MigratedDatabase;
import io.journeys.support.PlanProbe;
import io.journeys.support.RepositoryTest;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements that read {@code enrollment.entered} blocks' enrollments take index
 * probes whatever the statistics: here generic plans made on statistics taken while the
 * company's enrollments had all ended and no block existed, then 5,000 active enrollments
 * added, as when a journey fills between two analyzes.
 */
@RepositoryTest
class EnteredBlocksPlanTests {

	@Test
	void theExpansionsGenericPlanTakesEachBlocksIdSpan() throws Exception {
		String plan = genericPlan(EnteredBlocks.EXPAND_BLOCKS, List.of("company", "blocks"), "uuid[]",
				"array[gen_random_uuid(), gen_random_uuid()]");
		assertThat(plan).as("generic plan")
			.containsPattern(
					"Index Scan using \\S+ on enrollments e .*\\n\\s+Index Cond: .*\\(id >= b\\.first_enrollment_id\\) "
							+ "AND \\(id <= b\\.last_enrollment_id\\)")
			.doesNotContain("Seq Scan on enrollments");
	}

	/** Not the block's whole span: the deleted enrollments, by primary key. */
	@Test
	void aDeletedContactsEventsAreFoundByItsEnrollmentsNotByEachSpan() throws Exception {
		String plan = genericPlan(EnteredBlocks.ENTERED_OF_ENROLLMENTS, List.of("company", "enrollments"), "uuid[]",
				"array[gen_random_uuid()]");
		assertThat(plan).as("generic plan")
			.containsPattern("Index Cond: .*\\(id = ANY \\(\\$2\\)\\)")
			.doesNotContain("Seq Scan on enrollments");
	}

	private static String genericPlan(String sql, List<String> parameters, String secondType, String secondValue)
			throws Exception {
		return PlanProbe.onEmptyCopies(
				List.of("subscriptions", "enrollments", "lifecycle_entered_blocks", "lifecycle_deliveries"), null,
				statement -> {
					statement.execute("""
							insert into enrollments (company_id, id, journey_id, contact_id, status, source,
							                         enrolled_at, completed_at)
							select '00000000-0000-0000-0000-0000000000c1', gen_random_uuid(), gen_random_uuid(),
							       gen_random_uuid(), 'completed', 'contact', now(), now()
							from generate_series(1, 5000)
							""");
					statement.execute("analyze enrollments");
					statement.execute(
							"""
									insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)
									select '00000000-0000-0000-0000-0000000000c1', gen_random_uuid(),
									       '00000000-0000-0000-0000-0000000000a1', gen_random_uuid(), 'active', 'contact', now()
									from generate_series(1, 5000)
									""");
					statement.execute(
							"prepare probed (uuid, " + secondType + ") as " + PlanProbe.positional(sql, parameters));
					statement.execute("set plan_cache_mode = force_generic_plan");
					return PlanProbe.explain(statement,
							"explain execute probed ('00000000-0000-0000-0000-0000000000c1', " + secondValue + ")");
				});
	}

	/** The migrated tables are all this test reads. */
	@Configuration(proxyBeanMethods = false)
	@Import(MigratedDatabase.class)
	static class Database {

	}

}
