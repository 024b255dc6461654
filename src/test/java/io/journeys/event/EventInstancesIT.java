package io.journeys.event;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.journeys.support.Http;
import io.journeys.support.ServiceProcess;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.journeys.support.ServiceProcess.await;
import static io.journeys.support.ServiceProcess.awaitHealth;
import static io.journeys.support.ServiceProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accepted events outlive the instance that answered: packaged services on one database,
 * the first killed with {@code kill -9} right after its last answer, a second applies
 * what the first had not, each event once.
 */
class EventInstancesIT {

	private static final String ADMIN = "events-admin-token";

	private static final int BATCHES = 20;

	private static final int PER_BATCH = 500;

	@Test
	void eventsAnsweredByAnInstanceKilledRightAfterAreAppliedByAnother(@TempDir Path work) throws Exception {
		TestDatabase database = TestDatabase.get();
		int port = freePort();
		Process first = start(database, port, work.resolve("first.log"));
		Process second = null;
		try {
			awaitHealth(HttpClient.newHttpClient(), "http://127.0.0.1:" + port + "/actuator/health", first,
					work.resolve("first.log"));
			Http http = new Http(port);
			String company = http.post("/admin/v1/companies", ADMIN, "{\"name\": \"Killed\"}")
				.hasStatus(201)
				.text("id");
			String token = http.post("/admin/v1/companies/" + company + "/api_keys", ADMIN, "{\"name\": \"k\"}")
				.hasStatus(201)
				.text("token");
			int contacts = BATCHES * PER_BATCH;
			for (int from = 0; from < contacts; from += 5_000) {
				String rows = IntStream.range(from, from + 5_000)
					.mapToObj(i -> "{\"email_address\": \"c" + i + "@x.com\"}")
					.collect(Collectors.joining(","));
				http.post("/v1/contacts/bulk", token, "{\"contacts\": [" + rows + "]}").hasStatus(200);
			}
			String journey = http
				.post("/v1/journeys", token, "{\"name\": \"On signup\", \"trigger\": {\"event_name\": \"signed_up\"}}")
				.hasStatus(201)
				.text("id");
			http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
			for (int batch = 0; batch < BATCHES; batch++) {
				String events = IntStream.range(batch * PER_BATCH, (batch + 1) * PER_BATCH)
					.mapToObj(i -> "{\"id\": \"e" + i + "\", \"name\": \"signed_up\", \"contact_email_address\": \"c"
							+ i + "@x.com\"}")
					.collect(Collectors.joining(","));
				http.post("/v1/events", token, "{\"events\": [" + events + "]}")
					.is(200, "{\"accepted\": " + PER_BATCH + ", \"duplicates\": 0, \"not_found\": []}");
			}
			first.destroyForcibly().waitFor();
			long pendingAtTheKill = count(database,
					"select count(*) from event_queue where company_id = '" + company + "'");
			System.out.printf("EventInstancesIT: %d of %d events still pending at the kill%n", pendingAtTheKill,
					contacts);

			second = start(database, port, work.resolve("second.log"));
			await(() -> count(database, "select count(*) from event_queue where company_id = '" + company + "'") == 0,
					Duration.ofMinutes(2), "every event applied");
			assertThat(count(database, "select count(*) from enrollments where journey_id = '" + journey + "'"))
				.as("one enrollment per event")
				.isEqualTo(contacts);
			assertThat(count(database,
					"select count(distinct trigger_event) from enrollments where journey_id = '" + journey + "'"))
				.isEqualTo(contacts);
		}
		finally {
			first.destroyForcibly();
			if (second != null) {
				second.destroy();
				second.waitFor();
			}
		}
	}

	private static Process start(TestDatabase database, int port, Path log) throws Exception {
		return ServiceProcess.start(database, port, log, ADMIN, Map.of());
	}

	private static long count(TestDatabase database, String sql) {
		try (Connection connection = database.connect();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
