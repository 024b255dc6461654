package io.journeys.runner;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.journeys.support.Http;
import io.journeys.support.TestDatabase;
import io.journeys.support.WebhookReceiver;
import io.journeys.support.WebhookReceiver.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.journeys.support.ServiceProcess.awaitHealth;
import static io.journeys.support.ServiceProcess.freePort;
import static io.journeys.support.ServiceProcess.java;
import static io.journeys.support.ServiceProcess.packagedJar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the packaged service in the middle of calling 10,000 webhooks: a
 * second instance finishes the run, every enrollment completes, and a {@code webhook-id}
 * comes twice only for the calls of the batch in flight at the kill (at most one batch of
 * 100, whose transaction died with the process).
 */
class RunnerKillIT {

	private static final String ADMIN = "kill-admin-token";

	private static final int CONTACTS = 10_000;

	@Test
	void anInstanceKilledMidRunLeavesItsWorkToAnother(@TempDir Path work) throws Exception {
		TestDatabase database = TestDatabase.get();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			// calls after the 2,000th hang until the kill, so the kill lands on a batch
			// in flight
			java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
			receiver.answer(() -> {
				if (answered.incrementAndGet() > 2_000) {
					try {
						killed.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return 200;
			});
			int port = freePort();
			Process first = start(database, port, work.resolve("first.log"));
			Process second = null;
			try {
				awaitHealth(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/actuator/health", first,
						work.resolve("first.log"));
				Http http = new Http(port);
				String company = http.post("/admin/v1/companies", ADMIN, "{\"name\": \"K\"}").hasStatus(201).text("id");
				String token = http.post("/admin/v1/companies/" + company + "/api_keys", ADMIN, "{\"name\": \"k\"}")
					.hasStatus(201)
					.text("token");
				var created = http
					.post("/v1/journeys", token,
							"{\"name\": \"j\", \"steps\": [{\"type\": \"webhook\", \"url\": \"" + receiver.url()
									+ "\"}]}")
					.hasStatus(201);
				receiver.secret(created.text("webhook_secret"));
				String journey = created.text("id");
				List<String> emails = IntStream.range(0, CONTACTS).mapToObj(i -> "\"k" + i + "@x.com\"").toList();
				http.post("/v1/contacts/bulk", token,
						"{\"contacts\": [" + emails.stream()
							.map(email -> "{\"email_address\": " + email + "}")
							.collect(Collectors.joining(",")) + "]}")
					.hasStatus(200);
				String list = http.post("/v1/lists", token, "{\"name\": \"All\", \"email_address\": \"all@lists.com\"}")
					.hasStatus(201)
					.text("id");
				http.post("/v1/lists/" + list + "/members", token,
						"{\"contact_email_addresses\": [" + String.join(",", emails) + "]}")
					.hasStatus(200);
				http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
				http.post("/v1/journeys/" + journey + "/enroll", token,
						"{\"list_email_addresses\": [\"all@lists.com\"]}")
					.hasStatus(200);

				await(() -> receiver.calls().size() > 2_000, Duration.ofMinutes(2), "2,000 calls before the kill");
				Thread.sleep(200);
				first.destroyForcibly().waitFor();
				int atTheKill = receiver.calls().size();
				killed.countDown();
				assertThat(atTheKill).as("the kill comes in the middle of the run").isLessThan(CONTACTS);

				second = start(database, port, work.resolve("second.log"));
				await(() -> completed(database, journey) == CONTACTS, Duration.ofMinutes(3),
						"every enrollment completed by the second instance");
				List<Call> calls = receiver.calls();
				Set<String> ids = new HashSet<>();
				calls.forEach(call -> ids.add(call.id()));
				int twice = calls.size() - ids.size();
				System.out.printf("RunnerKillIT: %d calls before the kill, %d in all, %d webhook-ids seen twice%n",
						atTheKill, calls.size(), twice);
				// the batch in flight at the kill: its calls past the 2,000th hung, and
				// the
				// ones before it in the batch were answered, but its transaction never
				// committed
				assertThat(twice).as("a batch was in flight at the kill").isPositive();
				assertThat(ids).hasSize(CONTACTS);
				assertThat(calls).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
				assertThat(twice).as("webhook-ids seen twice: the batch in flight at the kill").isBetween(0, 100);
			}
			finally {
				first.destroyForcibly();
				if (second != null) {
					second.destroy();
					second.waitFor();
				}
			}
		}
	}

	private static Process start(TestDatabase database, int port, Path log) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(java(), "-jar", packagedJar().toString()).redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.put("SPRING_DATASOURCE_URL", database.url());
		env.put("SPRING_DATASOURCE_USERNAME", database.username());
		env.put("SPRING_DATASOURCE_PASSWORD", database.password());
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("JOURNEYS_ADMIN_TOKEN", ADMIN);
		env.put("JOURNEYS_WEBHOOK_ALLOW_HTTP", "true");
		env.put("JOURNEYS_WEBHOOK_ALLOW_PRIVATE", "true");
		env.put("JOURNEYS_RUNNER_POLL_INTERVAL", "200ms");
		return builder.start();
	}

	private static int completed(TestDatabase database, String journey) {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select count(*) from enrollments where journey_id = '" + journey
						+ "' and status = 'completed'")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

}
