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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.journeys.support.Http;
import io.journeys.support.ServiceProcess;
import io.journeys.support.TestDatabase;
import io.journeys.support.WebhookReceiver;
import io.journeys.support.WebhookReceiver.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.journeys.support.ServiceProcess.await;
import static io.journeys.support.ServiceProcess.awaitHealth;
import static io.journeys.support.ServiceProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifecycle events from packaged service processes: {@code kill -9} of the instance in
 * the middle of sending 5,000 {@code enrollment.entered} events loses none (a second
 * instance sends the rest), and only the batch in flight at the kill is sent twice, with
 * the same {@code webhook-id}s.
 */
class LifecycleInstancesIT {

	private static final String ADMIN = "lifecycle-admin-token";

	@Test
	void anInstanceKilledMidDeliveryLosesNoEvent(@TempDir Path work) throws Exception {
		int contacts = 5_000;
		TestDatabase database = TestDatabase.get();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			// calls after the 1,000th hang until the kill, so the kill lands on a batch
			// in
			// flight
			CountDownLatch killed = new CountDownLatch(1);
			AtomicInteger answered = new AtomicInteger();
			receiver.answer(() -> {
				if (answered.incrementAndGet() > 1_000) {
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
				String subscription = enrollWithSubscription(new Http(port), receiver, contacts);

				await(() -> receiver.calls().size() > 1_000, Duration.ofMinutes(2), "1,000 calls before the kill");
				Thread.sleep(200);
				first.destroyForcibly().waitFor();
				int atTheKill = receiver.calls().size();
				killed.countDown();
				assertThat(atTheKill).as("the kill comes in the middle of the run").isLessThan(contacts);

				second = start(database, port, work.resolve("second.log"));
				await(() -> delivered(database, subscription) == contacts, Duration.ofMinutes(3),
						"every event delivered by the second instance");
				List<Call> calls = receiver.calls();
				Set<String> ids = new HashSet<>();
				calls.forEach(call -> ids.add(call.id()));
				int twice = calls.size() - ids.size();
				System.out.printf(
						"LifecycleInstancesIT: %d calls before the kill, %d in all, %d webhook-ids seen twice%n",
						atTheKill, calls.size(), twice);
				assertThat(ids).hasSize(contacts);
				assertThat(calls).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
				assertThat(twice).as("a batch was in flight at the kill").isPositive();
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

	/**
	 * A company with a journey without steps, a subscription to its entered events at the
	 * receiver (which gets its secret), and {@code contacts} contacts enrolled by list.
	 */
	private static String enrollWithSubscription(Http http, WebhookReceiver receiver, int contacts) {
		String company = http.post("/admin/v1/companies", ADMIN, "{\"name\": \"l\"}").hasStatus(201).text("id");
		String token = http.post("/admin/v1/companies/" + company + "/api_keys", ADMIN, "{\"name\": \"k\"}")
			.hasStatus(201)
			.text("token");
		String journey = http.post("/v1/journeys", token, "{\"name\": \"j\"}").hasStatus(201).text("id");
		http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
		var created = http
			.post("/v1/subscriptions", token,
					"{\"url\": \"" + receiver.url() + "\", \"event_types\": [\"enrollment.entered\"]}")
			.hasStatus(201);
		receiver.secret(created.text("secret"));
		List<String> emails = IntStream.range(0, contacts).mapToObj(i -> "\"l" + i + "@x.com\"").toList();
		http.post("/v1/contacts/bulk", token, "{\"contacts\": ["
				+ emails.stream().map(email -> "{\"email_address\": " + email + "}").collect(Collectors.joining(","))
				+ "]}")
			.hasStatus(200);
		String list = http.post("/v1/lists", token, "{\"name\": \"All\", \"email_address\": \"all@lists.com\"}")
			.hasStatus(201)
			.text("id");
		http.post("/v1/lists/" + list + "/members", token,
				"{\"contact_email_addresses\": [" + String.join(",", emails) + "]}")
			.hasStatus(200);
		http.post("/v1/journeys/" + journey + "/enroll", token, "{\"list_email_addresses\": [\"all@lists.com\"]}")
			.hasStatus(200);
		return created.text("id");
	}

	private static Process start(TestDatabase database, int port, Path log) throws Exception {
		return ServiceProcess.start(database, port, log, ADMIN,
				Map.of("JOURNEYS_WEBHOOK_ALLOW_HTTP", "true", "JOURNEYS_WEBHOOK_ALLOW_PRIVATE", "true"));
	}

	private static int delivered(TestDatabase database, String subscription) {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement
					.executeQuery("select count(*) from lifecycle_deliveries where subscription_id = '" + subscription
							+ "' and status = 'delivered'")) {
			rs.next();
			return rs.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
