package io.journeys.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.persistence.DatabaseFailures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 24, on a Citus cluster whose worker this test may stop and start (.ci/run's Citus
 * pass runs it on its own, in a JVM of its own, with
 * {@code JOURNEYS_TEST_CITUS_STOP_WORKER} and {@code _START_WORKER} set to the commands,
 * and {@code _WORKER_PORT} to the port of the worker they control; elsewhere the test
 * does not run). With the worker down: the companies whose shards it holds get a fast 503
 * that names a database node, the others go on as before without new sessions to the
 * coordinator, the runner completes the others' due steps, and nothing refused is stored.
 * Once it is back, its companies' first request succeeds and one runner pass catches up
 * on their steps.
 */
@EnabledIfEnvironmentVariable(named = "JOURNEYS_TEST_CITUS_STOP_WORKER", matches = ".+")
class CitusWorkerDownTests extends ApiTests {

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private StepRunner runner;

	private record Company(Tenant tenant, String journey) {
	}

	@Test
	void aStoppedWorkerTouchesOnlyTheCompaniesOnItsShards() throws Exception {
		int stoppedPort = Integer.parseInt(System.getenv("JOURNEYS_TEST_CITUS_WORKER_PORT"));
		List<Company> down = new ArrayList<>();
		List<Company> up = new ArrayList<>();
		while (down.size() < 2 || up.size() < 2) {
			Tenant tenant = newTenant();
			boolean onStopped = workerPort(tenant) == stoppedPort;
			if ((onStopped ? down : up).size() >= 2) {
				continue;
			}
			String journey = this.http
				.post("/v1/journeys", tenant.token(),
						"{\"name\": \"j\", \"steps\": [{\"type\": \"wait\", \"duration\": \"PT1H\"}]}")
				.hasStatus(201)
				.text("id");
			this.http.patch("/v1/journeys/" + journey, tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
			contacts(tenant, "active", "waits@x.com", "during@x.com", "after@x.com");
			enroll(tenant, journey, "waits@x.com").hasStatus(200);
			(onStopped ? down : up).add(new Company(tenant, journey));
		}
		this.runner.runDue();
		this.clock.advance(Duration.ofHours(1));
		long sessionsBefore = sessions();

		run(System.getenv("JOURNEYS_TEST_CITUS_STOP_WORKER"));
		try {
			for (Company company : down) {
				long start = System.nanoTime();
				Response refused = enroll(company.tenant(), company.journey(), "during@x.com");
				long millis = (System.nanoTime() - start) / 1_000_000;
				refused.is(503, "{\"error\": \"" + DatabaseFailures.NODE_MESSAGE + "\"}");
				assertThat(refused.header("Retry-After")).isEqualTo(DatabaseFailures.RETRY_AFTER);
				assertThat(millis).as("a company on the stopped worker is refused at once").isLessThan(2000);
			}
			for (int i = 0; i < 20; i++) {
				for (Company company : up) {
					this.http.get("/v1/journeys/" + company.journey(), company.tenant().token()).hasStatus(200);
				}
			}
			for (Company company : up) {
				enroll(company.tenant(), company.journey(), "during@x.com").hasStatus(200);
			}
			Thread.sleep(2000); // the server's statistics are flushed about once a second
			assertThat(sessions() - sessionsBefore).as("new coordinator sessions while a worker is down")
				.isLessThanOrEqualTo(2);

			this.runner.runDue();
			for (Company company : up) {
				assertThat(status(company, "waits@x.com")).as("the runner goes on for the other worker's companies")
					.isEqualTo("completed");
			}
		}
		finally {
			run(System.getenv("JOURNEYS_TEST_CITUS_START_WORKER"));
		}

		for (Company company : down) {
			Response first = enroll(company.tenant(), company.journey(), "after@x.com");
			long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
			while (first.status() == 503 && System.nanoTime() < deadline) {
				// the worker is up but may still be starting
				Thread.sleep(200);
				first = enroll(company.tenant(), company.journey(), "after@x.com");
			}
			first.hasStatus(200);
		}
		this.runner.runDue();
		for (Company company : down) {
			assertThat(status(company, "waits@x.com")).as("one pass catches up once the worker is back")
				.isEqualTo("completed");
			assertThat(status(company, "during@x.com")).as("the enroll refused while it was down").isNull();
			assertThat(status(company, "after@x.com")).isEqualTo("active");
		}
	}

	private Response enroll(Tenant tenant, String journey, String email) {
		return this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(),
				"{\"contact_email_addresses\": [\"" + email + "\"]}");
	}

	private int workerPort(Tenant tenant) {
		return this.jdbc.sql("""
				select nodeport from citus_shards where table_name = 'enrollments'::regclass
				  and shardid = get_shard_id_for_distribution_column('enrollments', cast(:company as uuid))
				""").param("company", tenant.companyId()).query(Integer.class).single();
	}

	private long sessions() {
		return this.jdbc.sql("select sessions from pg_stat_database where datname = current_database()")
			.query(Long.class)
			.single();
	}

	private String status(Company company, String email) {
		return this.jdbc.sql("""
				select e.status from enrollments e
				join contacts c on c.company_id = e.company_id and c.id = e.contact_id
				where e.company_id = :company and e.journey_id = :journey and c.email_address = :email
				""")
			.param("company", UUID.fromString(company.tenant().companyId()))
			.param("journey", UUID.fromString(company.journey()))
			.param("email", email)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private static void run(String command) throws Exception {
		Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
		assertThat(process.waitFor()).as(command).isZero();
	}

}
