package io.journeys.runner;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.journeys.support.Http;
import io.journeys.support.ServiceProcess;
import io.journeys.support.TestDatabase;
import io.journeys.support.WebhookReceiver;
import io.journeys.support.WebhookReceiver.Call;
import io.journeys.support.WebhookRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.journeys.support.ServiceProcess.await;
import static io.journeys.support.ServiceProcess.awaitHealth;
import static io.journeys.support.ServiceProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner in packaged service processes on one database: two running at once share the
 * due calls and never make one call twice at the same time, and {@code kill -9} of one in
 * the middle of 10,000 calls leaves its work to another, a {@code webhook-id} coming
 * twice only for the calls of the batch in flight at the kill.
 */
class RunnerInstancesIT {

	private static final String ADMIN = "instances-admin-token";

	private static final Pattern DELIVERED = Pattern
		.compile("journeys_runner_steps_total\\{outcome=\"delivered\",type=\"webhook\"} ([0-9.E]+)");

	@Test
	void twoInstancesShareTheCallsAndNoCallIsMadeTwice(@TempDir Path work) throws Exception {
		int contacts = 4_000;
		TestDatabase database = TestDatabase.get();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			// answers that take a while, so both instances have batches in flight
			receiver.delay(5);
			int[] ports = { freePort(), freePort() };
			Process one = start(database, ports[0], work.resolve("one.log"));
			Process two = start(database, ports[1], work.resolve("two.log"));
			try {
				awaitHealth(HttpClient.newHttpClient(), "http://127.0.0.1:" + ports[0] + "/actuator/health", one,
						work.resolve("one.log"));
				awaitHealth(HttpClient.newHttpClient(), "http://127.0.0.1:" + ports[1] + "/actuator/health", two,
						work.resolve("two.log"));
				String journey = WebhookRun.start(new Http(ports[0]), ADMIN, receiver, "s", contacts);
				await(() -> completed(database, journey) == contacts, Duration.ofMinutes(3),
						"every enrollment completed");

				List<Call> calls = receiver.calls();
				Set<String> ids = calls.stream().map(Call::id).collect(Collectors.toSet());
				long byOne = delivered(new Http(ports[0]));
				long byTwo = delivered(new Http(ports[1]));
				System.out.printf(
						"RunnerInstancesIT: %d calls, %d by one instance, %d by the other, "
								+ "%d made while the same webhook-id was in flight%n",
						calls.size(), byOne, byTwo, receiver.repeatsInFlight());
				assertThat(ids).hasSize(contacts);
				assertThat(calls).as("each webhook-id once").hasSize(contacts);
				assertThat(receiver.repeatsInFlight()).isZero();
				assertThat(calls).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
				assertThat(byOne + byTwo).isEqualTo(contacts);
				assertThat(byOne).as("the first instance's share").isPositive();
				assertThat(byTwo).as("the second instance's share").isPositive();
			}
			finally {
				stop(one);
				stop(two);
			}
		}
	}

	@Test
	void anInstanceKilledMidRunLeavesItsWorkToAnother(@TempDir Path work) throws Exception {
		int contacts = 10_000;
		TestDatabase database = TestDatabase.get();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			// calls after the 2,000th hang until the kill, so the kill lands on a batch
			// in flight
			CountDownLatch killed = new CountDownLatch(1);
			AtomicInteger answered = new AtomicInteger();
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
				String journey = WebhookRun.start(new Http(port), ADMIN, receiver, "k", contacts);

				await(() -> receiver.calls().size() > 2_000, Duration.ofMinutes(2), "2,000 calls before the kill");
				Thread.sleep(200);
				first.destroyForcibly().waitFor();
				int atTheKill = receiver.calls().size();
				killed.countDown();
				assertThat(atTheKill).as("the kill comes in the middle of the run").isLessThan(contacts);

				second = start(database, port, work.resolve("second.log"));
				await(() -> completed(database, journey) == contacts, Duration.ofMinutes(3),
						"every enrollment completed by the second instance");
				List<Call> calls = receiver.calls();
				Set<String> ids = new HashSet<>();
				calls.forEach(call -> ids.add(call.id()));
				int twice = calls.size() - ids.size();
				System.out.printf("RunnerInstancesIT: %d calls before the kill, %d in all, %d webhook-ids seen twice%n",
						atTheKill, calls.size(), twice);
				// the batch in flight at the kill: its calls past the 2,000th hung, and
				// the ones before it in the batch were answered, but its transaction
				// never committed
				assertThat(twice).as("a batch was in flight at the kill").isPositive();
				assertThat(ids).hasSize(contacts);
				assertThat(calls).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
				assertThat(twice).as("webhook-ids seen twice: the batch in flight at the kill").isBetween(0, 100);
			}
			finally {
				first.destroyForcibly();
				if (second != null) {
					stop(second);
				}
			}
		}
	}

	/** The webhook calls an instance made that were answered 2xx, from its metrics. */
	private static long delivered(Http http) {
		Matcher matcher = DELIVERED.matcher(http.get("/actuator/prometheus", null).hasStatus(200).body());
		return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
	}

	private static Process start(TestDatabase database, int port, Path log) throws Exception {
		return ServiceProcess.start(database, port, log, ADMIN,
				Map.of("JOURNEYS_WEBHOOK_ALLOW_HTTP", "true", "JOURNEYS_WEBHOOK_ALLOW_PRIVATE", "true"));
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		process.waitFor();
	}

	private static int completed(TestDatabase database, String journey) {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select count(*) from enrollments where journey_id = '" + journey
						+ "' and status = 'completed'")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
