package io.journeys.journey;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.WebhookReceiver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/journeys/{id}/preview} over HTTP: the path a contact would take, each
 * kind of step and decision, the goal, the checks in their order, nothing written. That a
 * preview agrees with the runner in {@code PreviewMatchesRunnerTests}.
 */
class PreviewApiTests extends ApiTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	@Autowired
	private JdbcClient jdbc;

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.clock.set(NOW);
	}

	private String journey(String fields) {
		return this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Previewed\", " + fields + "}")
			.hasStatus(201)
			.text("id");
	}

	/** An active contact with these attributes and zone, set in SQL. */
	private UUID contact(String email, String attributes, String timeZone) {
		return contact(this.tenant, email, attributes, timeZone);
	}

	private UUID contact(Tenant tenant, String email, String attributes, String timeZone) {
		contacts(tenant, "active", email);
		this.jdbc
			.sql("update contacts set attributes = cast(? as jsonb), time_zone = ? "
					+ "where company_id = cast(? as uuid) and email_address = ?")
			.params(attributes, timeZone, tenant.companyId(), email)
			.update();
		return this.jdbc.sql("select id from contacts where company_id = cast(? as uuid) and email_address = ?")
			.params(tenant.companyId(), email)
			.query(UUID.class)
			.single();
	}

	private Response preview(String journey, String body) {
		return this.http.post("/v1/journeys/" + journey + "/preview", this.tenant.token(), body);
	}

	private JsonNode steps(String journey, String email, String at) {
		String body = "{\"contact_email_address\": \"" + email + "\"" + (at == null ? "" : ", \"at\": \"" + at + "\"")
				+ "}";
		Response answer = preview(journey, body).hasStatus(200);
		return answer.json().get("steps");
	}

	private static JsonNode json(String text) {
		return Response.JSON.readTree(text);
	}

	/** The contact as the contact API shows it, with its attributes and zone. */
	private JsonNode shown(String email, String attributes, String timeZone) {
		JsonNode listed = this.http.get("/v1/contacts?email_address=" + email, this.tenant.token())
			.hasStatus(200)
			.json()
			.get("data")
			.get(0);
		ObjectNode contact = (ObjectNode) listed.deepCopy();
		contact.set("attributes", json(attributes));
		contact.put("time_zone", timeZone);
		return contact;
	}

	private static final String BRANCH = """
			"steps": [{"id": "plan", "type": "branch", "cases": [
			   {"when": {"attribute": "plan", "equals": "pro"}, "next": "vip"},
			   {"when": {"attribute": "seats", "gte": 10}, "next": "team"}], "otherwise": "basic"},
			 {"id": "vip", "type": "webhook", "url": "https://example.com/vip", "next": "end"},
			 {"id": "team", "type": "wait", "duration": "PT1H", "next": "end"},
			 {"id": "basic", "type": "webhook", "url": "https://example.com/basic"}]""";

	@Test
	void aBranchOnAttributesTakesTheFirstCaseThatHoldsElseOtherwise() {
		String journey = journey(BRANCH);
		contact("pro@x.com", "{\"plan\": \"pro\", \"seats\": 50}", null);
		contact("team@x.com", "{\"plan\": \"team\", \"seats\": 12}", null);
		contact("free@x.com", "{}", null);
		preview(journey, "{\"contact_email_address\": \" Pro@X.com \"}").is(200, """
				{"object": "preview", "contact": %s,
				 "steps": [
				  {"step_id": "plan", "type": "branch", "enters_at": "2026-03-01T12:00:00Z",
				   "local_time": "2026-03-01T12:00:00Z", "way": {"taken": "case", "index": 0, "next": "vip"}},
				  {"step_id": "vip", "type": "webhook", "enters_at": "2026-03-01T12:00:00Z",
				   "local_time": "2026-03-01T12:00:00Z"}],
				 "ends": "completed", "ends_at": "2026-03-01T12:00:00Z"}
				""".formatted(shown("pro@x.com", "{\"plan\": \"pro\", \"seats\": 50}", null)));
		assertThat(steps(journey, "team@x.com", null)).isEqualTo(json("""
				[{"step_id": "plan", "type": "branch", "enters_at": "2026-03-01T12:00:00Z",
				  "local_time": "2026-03-01T12:00:00Z", "way": {"taken": "case", "index": 1, "next": "team"}},
				 {"step_id": "team", "type": "wait", "enters_at": "2026-03-01T12:00:00Z",
				  "local_time": "2026-03-01T12:00:00Z", "due_at": "2026-03-01T13:00:00Z",
				  "due_local_time": "2026-03-01T13:00:00Z"}]
				"""));
		assertThat(steps(journey, "free@x.com", null)).isEqualTo(json("""
				[{"step_id": "plan", "type": "branch", "enters_at": "2026-03-01T12:00:00Z",
				  "local_time": "2026-03-01T12:00:00Z", "way": {"taken": "otherwise", "next": "basic"}},
				 {"step_id": "basic", "type": "webhook", "enters_at": "2026-03-01T12:00:00Z",
				  "local_time": "2026-03-01T12:00:00Z"}]
				"""));
	}

	@Test
	void aBranchOnAPastEventLooksAtTheWindowEndingWhenTheBranchIsEntered() {
		this.clock.set(Instant.parse("2026-03-10T12:00:00Z"));
		String journey = journey("""
				"steps": [{"id": "day", "type": "wait", "duration": "P1D"},
				 {"id": "bought", "type": "branch", "cases": [{"when": {"event": "purchased", "within": "P2D",
				   "where": {"property": "total", "gte": 100}}, "next": "thanks"}], "otherwise": "end"},
				 {"id": "thanks", "type": "webhook", "url": "https://example.com/thanks"}]""");
		contact("a@x.com", "{}", null);
		this.http.post("/v1/events", this.tenant.token(), """
				{"events": [{"name": "purchased", "contact_email_address": "a@x.com", "properties": {"total": 120},
				  "occurred_at": "2026-03-05T12:00:00Z"},
				 {"name": "purchased", "contact_email_address": "a@x.com", "properties": {"total": 5},
				  "occurred_at": "2026-03-08T12:00:00Z"}]}
				""").hasStatus(200);
		// the branch is entered 2026-03-06T00:00Z: the purchase of 120 is in its window
		assertThat(steps(journey, "a@x.com", "2026-03-05T00:00:00Z").get(1).get("way"))
			.isEqualTo(json("{\"taken\": \"case\", \"index\": 0, \"next\": \"thanks\"}"));
		// entered 2026-03-04T00:00Z: the purchase comes after the branch decided
		assertThat(steps(journey, "a@x.com", "2026-03-03T00:00:00Z").get(1).get("way"))
			.isEqualTo(json("{\"taken\": \"otherwise\", \"next\": \"end\"}"));
		// entered 2026-03-09T00:00Z: only the purchase of 5 is in the window
		JsonNode late = steps(journey, "a@x.com", "2026-03-08T00:00:00Z");
		assertThat(late.get(1).get("way")).isEqualTo(json("{\"taken\": \"otherwise\", \"next\": \"end\"}"));
		assertThat(late).hasSize(2);
	}

	@Test
	void aSplitTakesTheContactsShareTheSameEveryTime() {
		String journey = journey("""
				"steps": [{"id": "ab", "type": "split", "paths": [{"weight": 30, "next": "a"},
				   {"weight": 70, "next": "b"}]},
				 {"id": "a", "type": "wait", "duration": "PT1H", "next": "end"},
				 {"id": "b", "type": "wait", "duration": "PT2H"}]""");
		List<Step.Path> paths = List.of(new Step.Path(30, "a"), new Step.Path(70, "b"));
		for (int i = 0; i < 8; i++) {
			String email = "c" + i + "@x.com";
			UUID contact = contact(email, "{}", null);
			int index = Shares.path(paths, contact, UUID.fromString(journey), "ab");
			JsonNode steps = steps(journey, email, null);
			assertThat(steps.get(0).get("way")).isEqualTo(json(
					"{\"taken\": \"path\", \"index\": " + index + ", \"next\": \"" + paths.get(index).next() + "\"}"));
			assertThat(steps.get(1).get("step_id").asString()).isEqualTo(paths.get(index).next());
			assertThat(steps(journey, email, "2027-01-01T00:00:00Z").get(0).get("way"))
				.as("the same path at another time")
				.isEqualTo(steps.get(0).get("way"));
		}
	}

	@Test
	void aWaitUntilIsDueInTheContactsZoneAcrossTheChangeToSummerTime() {
		String journey = journey("""
				"time_zone": "Europe/Paris",
				"steps": [{"id": "morning", "type": "wait_until", "time": "09:00"},
				 {"id": "monday", "type": "wait_until", "time": "09:00", "days": ["mon"]}]""");
		contact("ny@x.com", "{}", "America/New_York");
		// Saturday 10:00 in New York; clocks go forward on Sunday 2026-03-08 at 02:00
		preview(journey, "{\"contact_email_address\": \"ny@x.com\", \"at\": \"2026-03-07T10:00:00-05:00\"}").is(200, """
				{"object": "preview", "contact": %s,
				 "steps": [
				  {"step_id": "morning", "type": "wait_until", "enters_at": "2026-03-07T15:00:00Z",
				   "local_time": "2026-03-07T10:00:00-05:00", "due_at": "2026-03-08T13:00:00Z",
				   "due_local_time": "2026-03-08T09:00:00-04:00"},
				  {"step_id": "monday", "type": "wait_until", "enters_at": "2026-03-08T13:00:00Z",
				   "local_time": "2026-03-08T09:00:00-04:00", "due_at": "2026-03-09T13:00:00Z",
				   "due_local_time": "2026-03-09T09:00:00-04:00"}],
				 "ends": "completed", "ends_at": "2026-03-09T13:00:00Z"}
				""".formatted(shown("ny@x.com", "{}", "America/New_York")));
	}

	@Test
	void aWaitUntilOfAContactWithoutZoneIsDueInTheJourneysWithItsShareOfTheSpread() {
		String journey = journey("""
				"time_zone": "Europe/Paris",
				"steps": [{"id": "nine", "type": "wait_until", "time": "09:00", "spread": "PT1H"}]""");
		UUID contact = contact("a@x.com", "{}", null);
		Step step = new Step("nine", Step.WAIT_UNTIL, null, null, null, null, null, null, null, null, null, null,
				"09:00", null, null, "PT1H");
		Duration share = LocalTimes.Rule.of(step).spreadOffset(contact, UUID.fromString(journey), "nine");
		assertThat(share).isBetween(Duration.ZERO, Duration.ofHours(1));
		JsonNode nine = steps(journey, "a@x.com", null).get(0);
		assertThat(nine.get("local_time").asString()).isEqualTo("2026-03-01T13:00:00+01:00");
		Instant due = Instant.parse("2026-03-02T08:00:00Z").plus(share);
		assertThat(Instant.parse(nine.get("due_at").asString())).isEqualTo(due);
		OffsetDateTime local = OffsetDateTime.parse(nine.get("due_local_time").asString());
		assertThat(local.toInstant()).isEqualTo(due);
		assertThat(local.getOffset().getId()).isEqualTo("+01:00");
	}

	@Test
	void aWaitForEventIsShownTimingOutAndWebhooksAreNotCalled() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			String journey = journey("""
					"steps": [{"id": "cart", "type": "wait_for_event", "event_name": "purchased", "timeout": "PT1H",
					   "next": "thanks", "timeout_next": "nudge"},
					 {"id": "nudge", "type": "webhook", "url": "%s", "next": "end"},
					 {"id": "thanks", "type": "wait", "duration": "PT2M"}]""".formatted(receiver.url()));
			contact("a@x.com", "{}", "Asia/Tokyo");
			this.http.post("/v1/events", this.tenant.token(), """
					{"events": [{"name": "purchased", "contact_email_address": "a@x.com"}]}
					""").hasStatus(200);
			assertThat(steps(journey, "a@x.com", null)).isEqualTo(json("""
					[{"step_id": "cart", "type": "wait_for_event", "enters_at": "2026-03-01T12:00:00Z",
					  "local_time": "2026-03-01T21:00:00+09:00", "due_at": "2026-03-01T13:00:00Z",
					  "due_local_time": "2026-03-01T22:00:00+09:00", "way": {"taken": "timeout", "next": "nudge"}},
					 {"step_id": "nudge", "type": "webhook", "enters_at": "2026-03-01T13:00:00Z",
					  "local_time": "2026-03-01T22:00:00+09:00"}]
					"""));
			assertThat(receiver.calls()).isEmpty();
		}
	}

	@Test
	void aGoalReachedByAPastEventEndsThePathWhereTheContactWouldHaveExited() {
		String journey = journey("""
				"goal": {"event_name": "activated", "where": {"property": "plan", "equals": "pro"}},
				"steps": [{"id": "first", "type": "wait", "duration": "PT1H"},
				 {"id": "second", "type": "wait", "duration": "PT1H"},
				 {"id": "third", "type": "webhook", "url": "https://example.com/h"}]""");
		contact("a@x.com", "{}", null);
		this.http.post("/v1/events", this.tenant.token(), """
				{"events": [{"name": "activated", "contact_email_address": "a@x.com", "properties": {"plan": "free"},
				  "occurred_at": "2026-03-01T10:30:00Z"},
				 {"name": "activated", "contact_email_address": "a@x.com", "properties": {"plan": "pro"},
				  "occurred_at": "2026-03-01T11:30:00Z"}]}
				""").hasStatus(200);
		Response exited = preview(journey, "{\"contact_email_address\": \"a@x.com\", \"at\": \"2026-03-01T10:00:00Z\"}")
			.hasStatus(200);
		assertThat(exited.json().get("steps")).extracting(step -> step.get("step_id").asString())
			.containsExactly("first", "second");
		assertThat(exited.text("ends")).isEqualTo("exited");
		assertThat(exited.text("ends_at")).isEqualTo("2026-03-01T11:30:00Z");
		// entered after the goal's event: that event does not count
		Response completed = preview(journey,
				"{\"contact_email_address\": \"a@x.com\", \"at\": \"2026-03-01T11:45:00Z\"}")
			.hasStatus(200);
		assertThat(completed.json().get("steps")).extracting(step -> step.get("enters_at").asString())
			.containsExactly("2026-03-01T11:45:00Z", "2026-03-01T12:45:00Z", "2026-03-01T13:45:00Z");
		assertThat(completed.text("ends")).isEqualTo("completed");
		assertThat(completed.text("ends_at")).isEqualTo("2026-03-01T13:45:00Z");
	}

	@Test
	void atMayBeInThePastWithAnyOffsetAndIsNowByDefault() {
		String journey = journey("\"steps\": [{\"id\": \"hour\", \"type\": \"wait\", \"duration\": \"PT1H\"}]");
		contact("a@x.com", "{}", null);
		assertThat(steps(journey, "a@x.com", "2025-12-31T19:00:00-05:00").get(0).get("enters_at").asString())
			.isEqualTo("2026-01-01T00:00:00Z");
		assertThat(steps(journey, "a@x.com", null).get(0).get("enters_at").asString())
			.isEqualTo("2026-03-01T12:00:00Z");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(steps(journey, "a@x.com", null).get(0).get("enters_at").asString())
			.isEqualTo("2026-03-01T12:05:00Z");
	}

	@Test
	void aJourneyPreviewsInEveryStateAndAnEmptyOneCompletesAtOnce() {
		String journey = journey(
				"\"steps\": [{\"id\": \"hook\", \"type\": \"webhook\", \"url\": \"https://e.com/h\"}]");
		contact("a@x.com", "{}", null);
		assertThat(this.http.get("/v1/journeys/" + journey, this.tenant.token()).text("state")).isEqualTo("draft");
		assertThat(steps(journey, "a@x.com", null)).hasSize(1);
		for (String state : List.of("on", "off", "archived")) {
			this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"" + state + "\"}")
				.hasStatus(200);
			assertThat(steps(journey, "a@x.com", null)).as(state).hasSize(1);
		}
		String empty = journey("\"steps\": []");
		Response answer = preview(empty, "{\"contact_email_address\": \"a@x.com\"}").hasStatus(200);
		assertThat(answer.json().get("steps")).isEmpty();
		assertThat(answer.text("ends")).isEqualTo("completed");
		String none = journey("\"goal\": {\"event_name\": \"activated\"}");
		preview(none, "{\"contact_email_address\": \"a@x.com\"}").is(422,
				"{\"error\": {\"steps\": [\"has no steps to preview\"]}}");
	}

	private Map<String, Long> counts() {
		Map<String, Long> counts = new java.util.LinkedHashMap<>();
		for (String table : List.of("enrollments", "enrollment_events", "idempotency_keys", "events", "contacts")) {
			counts.put(table,
					this.jdbc.sql("select count(*) from " + table + " where company_id = cast(? as uuid)")
						.params(this.tenant.companyId())
						.query(Long.class)
						.single());
		}
		return counts;
	}

	@Test
	void aPreviewWritesNothingEvenWithAnIdempotencyKey() {
		String journey = journey(BRANCH);
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		contact("a@x.com", "{\"plan\": \"pro\"}", null);
		Map<String, Long> before = counts();
		String updatedAt = this.http.get("/v1/journeys/" + journey, this.tenant.token()).text("updated_at");
		byte[] body = "{\"contact_email_address\": \"a@x.com\"}".getBytes();
		Map<String, String> headers = Map.of("Authorization", "Bearer " + this.tenant.token(), "Content-Type",
				"application/json", "Idempotency-Key", "preview-1");
		for (int i = 0; i < 2; i++) {
			Response answer = this.http.send("POST", "/v1/journeys/" + journey + "/preview", headers, body)
				.hasStatus(200);
			assertThat(answer.header("Idempotent-Replayed")).isNull();
		}
		assertThat(counts()).isEqualTo(before);
		assertThat(this.http.get("/v1/journeys/" + journey, this.tenant.token()).text("updated_at"))
			.isEqualTo(updatedAt);
	}

	@Test
	void typeErrorsComeFirstThenTheJourneyThenTheRules() {
		String journey = journey(BRANCH);
		contact("a@x.com", "{}", null);
		contacts(this.tenant, "inactive", "off@x.com");
		String unknown = UUID.randomUUID().toString();
		// type errors, even for an unknown journey
		preview(unknown, "{\"contact_email_address\": 5, \"at\": \"yesterday\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"must be a string\"], "
						+ "\"at\": [\"must be an ISO-8601 time with a zone offset\"]}}");
		preview(journey, "{\"contact_email_address\": \"a@x.com\", \"at\": \"2026-03-01T12:00:00\"}").is(422,
				"{\"error\": {\"at\": [\"must be an ISO-8601 time with a zone offset\"]}}");
		preview(journey, "{\"contact_email_address\": \"a@x.com\", \"at\": 1}").is(422,
				"{\"error\": {\"at\": [\"must be a string\"]}}");
		preview(journey, "[]").hasStatus(400);
		// then the journey
		preview(unknown, "{}").is(404, "{\"error\": \"Journey not found\"}");
		preview("nope", "{\"contact_email_address\": \"a@x.com\"}").is(404, "{\"error\": \"Journey not found\"}");
		// then the rules
		preview(journey, "{}").is(422, "{\"error\": {\"contact_email_address\": [\"can't be blank\"]}}");
		preview(journey, "{\"contact_email_address\": \" \\u00a0\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"can't be blank\"]}}");
		preview(journey, "{\"at\": \"2036-03-02T12:00:00Z\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"can't be blank\"], "
						+ "\"at\": [\"must be within 10 years of now\"]}}");
		preview(journey, "{\"contact_email_address\": \"a@x.com\", \"at\": \"2016-02-28T12:00:00Z\"}").is(422,
				"{\"error\": {\"at\": [\"must be within 10 years of now\"]}}");
		preview(journey, "{\"contact_email_address\": \"" + "a".repeat(1001) + "\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"is too long (maximum is 1000 characters)\"]}}");
		preview(journey, "{\"contact_email_address\": \"nobody@x.com\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"does not name a contact\"]}}");
		preview(journey, "{\"contact_email_address\": \"off@x.com\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"is not active\"]}}");
		assertThat(this.http.post("/v1/journeys/" + journey + "/preview", null, "{}").status()).isEqualTo(401);
	}

	@Test
	void anotherCompanysJourneyAndContactAreNotFound() {
		Tenant other = newTenant();
		contact(other, "shared@x.com", "{\"plan\": \"pro\"}", null);
		contact(other, "theirs@x.com", "{}", null);
		String theirs = this.http.post("/v1/journeys", other.token(), "{\"name\": \"Theirs\", " + BRANCH + "}")
			.hasStatus(201)
			.text("id");
		preview(theirs, "{\"contact_email_address\": \"shared@x.com\"}").is(404, "{\"error\": \"Journey not found\"}");
		String journey = journey(BRANCH);
		preview(journey, "{\"contact_email_address\": \"theirs@x.com\"}").is(422,
				"{\"error\": {\"contact_email_address\": [\"does not name a contact\"]}}");
		contact("shared@x.com", "{}", null);
		Response ours = preview(journey, "{\"contact_email_address\": \"shared@x.com\"}").hasStatus(200);
		assertThat(ours.json().get("contact")).isEqualTo(shown("shared@x.com", "{}", null));
		assertThat(ours.json().at("/steps/0/way/taken").asString()).isEqualTo("otherwise");
	}

}
