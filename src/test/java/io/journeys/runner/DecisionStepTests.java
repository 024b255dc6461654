package io.journeys.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.event.EventEffects;
import io.journeys.journey.Shares;
import io.journeys.journey.Step.Path;
import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journeys that decide, run: a branch on attributes and past events, a split whose
 * contacts keep their path, and a wait_until in the contact's, the journey's or the
 * step's zone, with a spread, and when the contact's zone changes while it waits. The
 * runner's passes run when the test says, at the times it sets.
 */
class DecisionStepTests extends ApiTests {

	@Autowired
	private StepRunner runner;

	@Autowired
	private EventEffects effects;

	@Autowired
	private JdbcClient jdbc;

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
	}

	private String journey(String fields) {
		Response created = this.http
			.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Decides\", " + fields + "}")
			.hasStatus(201);
		String id = created.text("id");
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		return id;
	}

	private void contact(String email, String attributes, String timeZone) {
		this.http
			.post("/v1/contacts", this.tenant.token(),
					"{\"email_address\": \"" + email + "\", \"attributes\": " + attributes + ", \"time_zone\": "
							+ (timeZone == null ? "null" : "\"" + timeZone + "\"") + "}")
			.hasStatus(201);
	}

	private void enroll(String journey, String... emails) {
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}")
			.hasStatus(200);
	}

	private Map<String, JsonNode> byEmail(String journey) {
		Map<String, JsonNode> rows = new HashMap<>();
		walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token())
			.forEach(row -> rows.put(row.get("email_address").asString(), row));
		return rows;
	}

	private JsonNode detail(String journey, JsonNode enrollment) {
		return this.http
			.get("/v1/journeys/" + journey + "/enrollments/" + enrollment.get("id").asString(), this.tenant.token())
			.hasStatus(200)
			.json();
	}

	private static final String BRANCH = "\"steps\": [{\"id\": \"who\", \"type\": \"branch\", \"cases\": ["
			+ "{\"when\": {\"attribute\": \"plan\", \"equals\": \"pro\"}, \"next\": \"pro\"}, "
			+ "{\"when\": {\"event\": \"purchased\", \"within\": \"P7D\", \"where\": {\"property\": \"total\", \"gte\": 100}}, "
			+ "\"next\": \"buyer\"}], \"otherwise\": \"end\"}, "
			+ "{\"id\": \"pro\", \"type\": \"wait\", \"duration\": \"PT1M\", \"next\": \"end\"}, "
			+ "{\"id\": \"buyer\", \"type\": \"wait\", \"duration\": \"PT2M\"}]";

	@Test
	void aBranchSendsEachContactByTheFirstCaseThatHolds() {
		String journey = journey(BRANCH);
		contact("pro@x.com", "{\"plan\": \"pro\"}", null);
		contact("buyer@x.com", "{\"plan\": \"free\"}", null);
		contact("both@x.com", "{\"plan\": \"pro\"}", null);
		contact("other@x.com", "{}", null);
		this.http.post("/v1/events", this.tenant.token(), "{\"events\": ["
				+ "{\"name\": \"purchased\", \"contact_email_address\": \"buyer@x.com\", \"properties\": {\"total\": 120}}, "
				+ "{\"name\": \"purchased\", \"contact_email_address\": \"both@x.com\", \"properties\": {\"total\": 120}}, "
				+ "{\"name\": \"purchased\", \"contact_email_address\": \"other@x.com\", \"properties\": {\"total\": 5}}]}")
			.hasStatus(200);
		this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
		enroll(journey, "pro@x.com", "buyer@x.com", "both@x.com", "other@x.com");
		this.runner.runDue();
		Map<String, JsonNode> rows = byEmail(journey);
		assertThat(rows.get("pro@x.com").get("step_id").asString()).isEqualTo("pro");
		assertThat(rows.get("both@x.com").get("step_id").asString()).as("the first case that holds").isEqualTo("pro");
		assertThat(rows.get("buyer@x.com").get("step_id").asString()).isEqualTo("buyer");
		assertThat(rows.get("other@x.com").get("status").asString()).as("otherwise: end").isEqualTo("completed");

		List<JsonNode> timeline = List.copyOf(detail(journey, rows.get("buyer@x.com")).get("timeline").values());
		assertThat(timeline).extracting(passage -> passage.get("step_id").asString()).containsExactly("who", "buyer");
		assertThat(timeline.get(0).get("way").toString())
			.isEqualTo("{\"taken\":\"case\",\"index\":1,\"next\":\"buyer\"}");
		assertThat(timeline.get(0).get("ended_at").asString()).isEqualTo("2026-06-01T09:00:00Z");
		JsonNode other = detail(journey, rows.get("other@x.com")).get("timeline");
		assertThat(other.get(0).get("way").toString()).isEqualTo("{\"taken\":\"otherwise\",\"next\":\"end\"}");

		JsonNode stats = this.http.get("/v1/journeys/" + journey, this.tenant.token())
			.hasStatus(200)
			.json()
			.get("stats");
		assertThat(stats.get("steps").get(0).get("ways").toString())
			.isEqualTo("[{\"taken\":\"case\",\"index\":0,\"next\":\"pro\",\"count\":2},"
					+ "{\"taken\":\"case\",\"index\":1,\"next\":\"buyer\",\"count\":1},"
					+ "{\"taken\":\"otherwise\",\"next\":\"end\",\"count\":1}]");
		assertThat(stats.get("steps").get(1).has("ways")).isFalse();
	}

	@Test
	void aSplitSendsEachContactItsOwnPathEveryTime() {
		String journey = journey("\"steps\": [{\"id\": \"ab\", \"type\": \"split\", \"paths\": ["
				+ "{\"weight\": 70, \"next\": \"a\"}, {\"weight\": 30, \"next\": \"end\"}]}, "
				+ "{\"id\": \"a\", \"type\": \"wait\", \"duration\": \"PT1M\"}]");
		String[] emails = new String[200];
		for (int i = 0; i < emails.length; i++) {
			emails[i] = "c" + i + "@x.com";
		}
		contacts(this.tenant, "active", emails);
		enroll(journey, emails);
		this.runner.runDue();
		List<Path> paths = List.of(new Path(70, "a"), new Path(30, "end"));
		Map<String, JsonNode> first = byEmail(journey);
		int atA = 0;
		for (JsonNode row : first.values()) {
			int path = Shares.path(paths, UUID.fromString(row.get("contact_id").asString()), UUID.fromString(journey),
					"ab");
			assertThat(row.get("status").asString()).as("the path Java computes for the contact")
				.isEqualTo(path == 0 ? "active" : "completed");
			atA += path == 0 ? 1 : 0;
		}
		assertThat(atA).isBetween(110, 170);
		// past the re-entry window, every contact enrolled again takes the same path
		this.clock.advance(Duration.ofMinutes(2));
		this.runner.runDue();
		this.clock.advance(Duration.ofHours(13));
		enroll(journey, emails);
		this.runner.runDue();
		List<JsonNode> all = walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token());
		assertThat(all).hasSize(200 + 200);
		Map<String, List<String>> ways = new HashMap<>();
		for (JsonNode row : all) {
			String way = detail(journey, row).get("timeline").get(0).get("way").get("index").asString();
			ways.computeIfAbsent(row.get("email_address").asString(), email -> new java.util.ArrayList<>()).add(way);
		}
		assertThat(ways.values()).allSatisfy(taken -> assertThat(taken).hasSize(2).containsOnly(taken.get(0)));
	}

	private static final String MORNING = "\"time_zone\": \"Europe/Paris\", \"steps\": [{\"id\": \"morning\", "
			+ "\"type\": \"wait_until\", \"time\": \"09:00\"}, {\"id\": \"tokyo\", \"type\": \"wait_until\", "
			+ "\"time\": \"09:00\", \"time_zone\": \"Asia/Tokyo\", \"days\": [\"mon\"]}]";

	@Test
	void aWaitUntilIsDueAtTheNextLocalTimeOfTheContactTheJourneyOrTheStep() {
		String journey = journey(MORNING);
		contact("ny@x.com", "{}", "America/New_York");
		contact("none@x.com", "{}", null);
		enroll(journey, "ny@x.com", "none@x.com");
		// 2026-06-01 is a Monday; 09:00Z is 05:00 in New York and 11:00 in Paris
		this.runner.runDue();
		Map<String, JsonNode> rows = byEmail(journey);
		assertThat(rows.get("ny@x.com").get("due_at").asString()).isEqualTo("2026-06-01T13:00:00Z");
		assertThat(rows.get("none@x.com").get("due_at").asString()).as("the journey's zone: tomorrow 09:00 in Paris")
			.isEqualTo("2026-06-02T07:00:00Z");
		JsonNode waiting = detail(journey, rows.get("ny@x.com"));
		assertThat(waiting.get("due_local_time").asString()).isEqualTo("2026-06-01T09:00:00-04:00");
		assertThat(waiting.get("due_time_zone").asString()).isEqualTo("America/New_York");
		assertThat(detail(journey, rows.get("none@x.com")).get("due_local_time").asString())
			.isEqualTo("2026-06-02T09:00:00+02:00");
		this.clock.set(Instant.parse("2026-06-01T13:00:00Z"));
		this.runner.runDue();
		rows = byEmail(journey);
		assertThat(rows.get("ny@x.com").get("step_id").asString()).isEqualTo("tokyo");
		assertThat(rows.get("ny@x.com").get("due_at").asString()).as("next Monday 09:00 in Tokyo")
			.isEqualTo("2026-06-08T00:00:00Z");
		List<JsonNode> timeline = List.copyOf(detail(journey, rows.get("ny@x.com")).get("timeline").values());
		assertThat(timeline).extracting(passage -> passage.get("step_id").asString())
			.containsExactly("morning", "tokyo");
		assertThat(detail(journey, rows.get("ny@x.com")).get("due_time_zone").asString()).isEqualTo("Asia/Tokyo");
	}

	@Test
	void aWaitUntilFollowsTheContactsTimeZoneWhenItChanges() {
		String journey = journey(MORNING);
		contact("mover@x.com", "{}", "America/New_York");
		enroll(journey, "mover@x.com");
		this.runner.runDue();
		assertThat(byEmail(journey).get("mover@x.com").get("due_at").asString()).isEqualTo("2026-06-01T13:00:00Z");
		this.clock.advance(Duration.ofMinutes(30));
		String contact = byEmail(journey).get("mover@x.com").get("contact_id").asString();
		this.http.patch("/v1/contacts/" + contact, this.tenant.token(), "{\"time_zone\": \"Asia/Kolkata\"}")
			.hasStatus(200);
		this.runner.runDue();
		// entered at 09:00Z, 14:30 in Kolkata: the next 09:00 there is 03:30Z the next
		// day
		assertThat(byEmail(journey).get("mover@x.com").get("due_at").asString()).isEqualTo("2026-06-02T03:30:00Z");
		assertThat(byEmail(journey).get("mover@x.com").get("step_id").asString()).isEqualTo("morning");
	}

	@Test
	void aSpreadSpreadsTheDueTimesOverItsLengthTheSameWayEveryTime() {
		String journey = journey("\"steps\": [{\"id\": \"spread\", \"type\": \"wait_until\", \"time\": \"10:00\", "
				+ "\"time_zone\": \"UTC\", \"spread\": \"PT15M\"}]");
		String[] emails = new String[100];
		for (int i = 0; i < emails.length; i++) {
			emails[i] = "s" + i + "@x.com";
		}
		contacts(this.tenant, "active", emails);
		enroll(journey, emails);
		this.runner.runDue();
		List<JsonNode> rows = walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token());
		Instant from = Instant.parse("2026-06-01T10:00:00Z");
		long distinctSeconds = rows.stream().map(row -> row.get("due_at").asString()).distinct().count();
		assertThat(rows).allSatisfy(row -> {
			Instant due = Instant.parse(row.get("due_at").asString());
			assertThat(due).isBetween(from, from.plus(Duration.ofMinutes(15)).minusMillis(1));
			UUID contact = UUID.fromString(row.get("contact_id").asString());
			Duration share = io.journeys.journey.LocalTimes.Rule
				.of(io.journeys.journey.Step.listOf(this.jdbc.sql("select steps from journeys where id = :id")
					.param("id", UUID.fromString(journey))
					.query(String.class)
					.single()).get(0))
				.spreadOffset(contact, UUID.fromString(journey), "spread");
			assertThat(due).as("the share Java computes").isEqualTo(from.plus(share));
		});
		assertThat(distinctSeconds).isGreaterThan(90);
	}

}
