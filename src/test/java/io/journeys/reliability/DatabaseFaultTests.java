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
class DatabaseFaultTests {

	private static final String ADMIN = "fault-admin-token";

	private EmbeddedPostgres postgres;

	private ConfigurableApplicationContext app;

	private Path data;

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
		this.data = Files.createTempDirectory("journeys-fault");
		int dbPort = freePort();
		this.postgres = startPostgres(dbPort);
		String url = "jdbc:postgresql://localhost:" + dbPort + "/postgres";
		this.app = new SpringApplicationBuilder(JourneysApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--journeys.admin.token=" + ADMIN,
				"--spring.datasource.hikari.connection-timeout=2000");
		Http http = new Http(((WebServerApplicationContext) this.app).getWebServer().getPort());

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

		this.postgres = startPostgres(dbPort);
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
	 * The step runner, calling 2,000 webhooks, loses its database in the middle: once the
	 * database is back it goes on by itself, every enrollment completes, and the only
	 * calls made twice are those of batches whose transaction the cut rolled back.
	 */
	@Test
	void theRunnerResumesAfterTheDatabaseComesBack() throws Exception {
		this.data = Files.createTempDirectory("journeys-fault");
		int dbPort = freePort();
		this.postgres = startPostgres(dbPort);
		String url = "jdbc:postgresql://localhost:" + dbPort + "/postgres";
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			receiver.delay(5);
			this.app = new SpringApplicationBuilder(JourneysApplication.class).run("--server.port=0",
					"--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
					"--spring.datasource.password=", "--journeys.admin.token=" + ADMIN,
					"--spring.datasource.hikari.connection-timeout=2000", "--journeys.runner.poll-interval=200ms",
					"--journeys.webhook.allow-http=true", "--journeys.webhook.allow-private=true");
			Http http = new Http(((WebServerApplicationContext) this.app).getWebServer().getPort());
			WebhookRun.start(http, ADMIN, receiver, "r", 2_000);
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (receiver.calls().size() < 300 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			this.postgres.close();
			int atTheCut = receiver.calls().size();
			assertThat(atTheCut).as("the cut comes in the middle of the run").isBetween(300, 1999);
			Thread.sleep(3000);
			this.postgres = startPostgres(dbPort);
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
