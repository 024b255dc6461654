package io.journeys.reliability;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.journeys.JourneysApplication;
import io.journeys.support.Http;
import io.journeys.support.Response;
import io.journeys.support.WebhookReceiver;
import io.journeys.support.WebhookRun;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 2: the database stops under load and starts again. While it is down, requests
 * answer a JSON 503 within the configured timeouts and health is DOWN; afterwards the
 * service recovers by itself, and every enrollment answered 200 is in the database. This
 * test owns its PostgreSQL (an embedded one it can stop and restart on the same port and
 * data folder).
 */
class DatabaseFaultIT {

	private static final String ADMIN = "fault-admin-token";

	private EmbeddedPostgres postgres;

	private ConfigurableApplicationContext app;

	private Path data;

	private int dbPort;

	@AfterEach
	void stop() throws Exception {
		if (this.app != null) {
			this.app.close();
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void survivesTheDatabaseGoingAwayAndComingBack() throws Exception {
		String url = start("--spring.datasource.hikari.connection-timeout=2000");
		Http http = http();

		String company = http.post("/admin/v1/companies", ADMIN, "{\"name\": \"F\"}").hasStatus(201).text("id");
		String token = http.post("/admin/v1/companies/" + company + "/api_keys", ADMIN, "{\"name\": \"k\"}")
			.hasStatus(201)
			.text("token");
		String journey = http.post("/v1/journeys", token, "{\"name\": \"j\"}").hasStatus(201).text("id");
		http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
		StringBuilder contacts = new StringBuilder();
		for (int i = 0; i < 2000; i++) {
			contacts.append(i == 0 ? "" : ",").append("{\"email_address\": \"f").append(i).append("@x.com\"}");
		}
		http.post("/v1/contacts/bulk", token, "{\"contacts\": [" + contacts + "]}").hasStatus(200);

		// load: one contact per request, remembering which were answered 200 with an
		// enrollment
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		List<Response> failures = new ArrayList<>();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread load = new Thread(() -> {
			for (int i = 0; i < 2000 && running.get(); i++) {
				String email = "f" + i + "@x.com";
				long start = System.nanoTime();
				Response response = http.post("/v1/journeys/" + journey + "/enroll", token,
						"{\"contact_email_addresses\": [\"" + email + "\"]}");
				long millis = (System.nanoTime() - start) / 1_000_000;
				if (response.status() == 200 && response.json().get("enrolled_count").asInt() == 1) {
					acknowledged.add(email);
				}
				else if (response.status() != 200) {
					synchronized (failures) {
						failures.add(response);
					}
					assertThat(millis).as("a refused request answers within the timeouts").isLessThan(15_000);
				}
			}
		});
		load.start();
		Thread.sleep(1500);

		this.postgres.close();
		Thread.sleep(3000);
		Response down = http.post("/v1/journeys/" + journey + "/enroll", token,
				"{\"contact_email_addresses\": [\"f1999@x.com\"]}");
		down.hasStatus(503);
		assertThat(down.header("Content-Type")).as("content type of %s %s", down.body(), down.headers().map())
			.startsWith("application/json");
		assertThat(down.json().get("error").asString()).contains("database");
		assertThat(http.get("/actuator/health", null).status()).isEqualTo(503);
		assertThat(http.get("/actuator/health", null).body()).contains("DOWN");

		this.postgres = startPostgres(this.dbPort);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		Response health;
		do {
			Thread.sleep(250);
			health = http.get("/actuator/health", null);
		}
		while (health.status() != 200 && System.nanoTime() < deadline);
		assertThat(health.status()).as("health after the restart").isEqualTo(200);
		assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
		running.set(false);
		load.join();

		http.post("/v1/journeys/" + journey + "/enroll", token, "{\"contact_email_addresses\": [\"f1999@x.com\"]}")
			.hasStatus(200);
		synchronized (failures) {
			assertThat(failures).isNotEmpty().allSatisfy(failure -> {
				assertThat(failure.status()).isEqualTo(503);
				assertThat(failure.json().get("error").isString()).isTrue();
			});
		}
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("""
						select c.email_address from enrollments e join contacts c on c.id = e.contact_id
						where e.status = 'active'
						""")) {
			Set<String> stored = new java.util.HashSet<>();
			while (rs.next()) {
				stored.add(rs.getString(1));
			}
			assertThat(stored).containsAll(acknowledged);
		}
		assertThat(acknowledged).isNotEmpty();
	}

	/**
	 * Issue 19: 40 requests of one API key that no instance has seen yet arrive while the
	 * database is down. Each is answered 503 with {@code Retry-After} within the pool's
	 * connection timeout plus a second, none waits behind another's key lookup or rate
	 * limit, and none of them is applied when the database comes back.
	 */
	@Test
	void oneKeysRequestsAreRefusedInTimeNotParkedWhileTheDatabaseIsDown() throws Exception {
		long connectionTimeout = 2000;
		String url = start("--spring.datasource.hikari.connection-timeout=" + connectionTimeout,
				"--journeys.runner.enabled=false");
		Http http = http();
		String company = http.post("/admin/v1/companies", ADMIN, "{\"name\": \"F\"}").hasStatus(201).text("id");
		String setup = http.post("/admin/v1/companies/" + company + "/api_keys", ADMIN, "{\"name\": \"setup\"}")
			.hasStatus(201)
			.text("token");
		// a key nobody has used: its lookup and its rate-limit bucket both need the
		// database
		String unseen = http.post("/admin/v1/companies/" + company + "/api_keys", ADMIN, "{\"name\": \"unseen\"}")
			.hasStatus(201)
			.text("token");
		String journey = http.post("/v1/journeys", setup, "{\"name\": \"j\"}").hasStatus(201).text("id");
		http.patch("/v1/journeys/" + journey, setup, "{\"state\": \"on\"}").hasStatus(200);
		int requests = 40;
		StringBuilder contacts = new StringBuilder();
		for (int i = 0; i < requests; i++) {
			contacts.append(i == 0 ? "" : ",").append("{\"email_address\": \"cut").append(i).append("@x.com\"}");
		}
		http.post("/v1/contacts/bulk", setup, "{\"contacts\": [" + contacts + "]}").hasStatus(200);

		this.postgres.close();
		java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
			.executor(java.util.concurrent.Executors.newFixedThreadPool(requests))
			.build();
		java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(requests);
		List<java.util.concurrent.Future<String>> answers = new ArrayList<>();
		java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(requests);
		java.net.URI enroll = java.net.URI
			.create("http://localhost:" + ((WebServerApplicationContext) this.app).getWebServer().getPort()
					+ "/v1/journeys/" + journey + "/enroll");
		for (int i = 0; i < requests; i++) {
			String email = "cut" + i + "@x.com";
			answers.add(callers.submit(() -> {
				java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(enroll)
					.timeout(Duration.ofSeconds(15))
					.header("Authorization", "Bearer " + unseen)
					.header("Content-Type", "application/json")
					.POST(java.net.http.HttpRequest.BodyPublishers
						.ofString("{\"contact_email_addresses\": [\"" + email + "\"]}"))
					.build();
				ready.countDown();
				ready.await();
				long start = System.nanoTime();
				try {
					java.net.http.HttpResponse<String> response = client.send(request,
							java.net.http.HttpResponse.BodyHandlers.ofString());
					long millis = (System.nanoTime() - start) / 1_000_000;
					return response.statusCode() + " in " + millis + " ms, Retry-After "
							+ response.headers().firstValue("Retry-After").orElse("none") + ": " + response.body();
				}
				catch (java.net.http.HttpTimeoutException ex) {
					return "no answer in 15 s";
				}
			}));
		}
		List<String> seen = new ArrayList<>();
		for (java.util.concurrent.Future<String> answer : answers) {
			seen.add(answer.get());
		}
		callers.shutdown();
		assertThat(seen).as("every answer while the database is down").allSatisfy(answer -> {
			assertThat(answer).startsWith("503 in ").contains("Retry-After 5: {\"error\":\"");
			long millis = Long.parseLong(answer.substring("503 in ".length(), answer.indexOf(" ms")));
			assertThat(millis).as(answer).isLessThanOrEqualTo(connectionTimeout + 1000);
		});

		this.postgres = startPostgres(this.dbPort);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (http.get("/actuator/health", null).status() != 200 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		// anything parked inside the service would go through now
		Thread.sleep(3 * connectionTimeout);
		try (Connection connection = DriverManager.getConnection(url, "postgres", "");
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select count(*) from enrollments")) {
			rs.next();
			assertThat(rs.getInt(1)).as("enrollments applied after the database came back").isZero();
		}
		http.post("/v1/journeys/" + journey + "/enroll", unseen, "{\"contact_email_addresses\": [\"cut0@x.com\"]}")
			.hasStatus(200);
	}

	/**
	 * The step runner, calling 2,000 webhooks, loses its database in the middle: once the
	 * database is back it goes on by itself, every enrollment completes, and the only
	 * calls made twice are those of batches whose transaction the cut rolled back.
	 */
	@Test
	void theRunnerResumesAfterTheDatabaseComesBack() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			receiver.delay(5);
			String url = start("--spring.datasource.hikari.connection-timeout=2000",
					"--journeys.runner.poll-interval=200ms", "--journeys.webhook.allow-http=true",
					"--journeys.webhook.allow-private=true");
			Http http = http();
			WebhookRun.start(http, ADMIN, receiver, "r", 2_000);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (receiver.calls().size() < 300 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			this.postgres.close();
			int atTheCut = receiver.calls().size();
			assertThat(atTheCut).as("the cut comes in the middle of the run").isBetween(300, 1999);
			Thread.sleep(3000);
			this.postgres = startPostgres(this.dbPort);
			deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			int completed = 0;
			while (completed < 2000 && System.nanoTime() < deadline) {
				Thread.sleep(250);
				try (Connection connection = DriverManager.getConnection(url, "postgres", "");
						Statement statement = connection.createStatement();
						ResultSet rs = statement
							.executeQuery("select count(*) from enrollments where status = 'completed'")) {
					rs.next();
					completed = rs.getInt(1);
				}
				catch (java.sql.SQLException ex) {
					// still starting
				}
			}
			assertThat(completed).as("enrollments completed after the database came back").isEqualTo(2000);
			List<WebhookReceiver.Call> calls = receiver.calls();
			Set<String> ids = new java.util.HashSet<>();
			calls.forEach(call -> ids.add(call.id()));
			assertThat(ids).hasSize(2000);
			assertThat(calls.size() - ids.size()).as("calls made twice: at most the batches the cut rolled back")
				.isLessThanOrEqualTo(200);
		}
	}

	/**
	 * An embedded PostgreSQL of this test's own, and the service on it with these
	 * settings over the ones every test here uses; answers the database's URL.
	 */
	private String start(String... settings) throws Exception {
		this.data = Files.createTempDirectory("journeys-fault");
		this.dbPort = freePort();
		this.postgres = startPostgres(this.dbPort);
		String url = "jdbc:postgresql://localhost:" + this.dbPort + "/postgres";
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
						"--spring.datasource.password=", "--journeys.admin.token=" + ADMIN));
		args.addAll(List.of(settings));
		this.app = new SpringApplicationBuilder(JourneysApplication.class).run(args.toArray(String[]::new));
		return url;
	}

	private Http http() {
		return new Http(((WebServerApplicationContext) this.app).getWebServer().getPort());
	}

	private EmbeddedPostgres startPostgres(int port) throws Exception {
		return EmbeddedPostgres.builder()
			.setDataDirectory(this.data)
			.setCleanDataDirectory(false)
			.setPort(port)
			.start();
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
