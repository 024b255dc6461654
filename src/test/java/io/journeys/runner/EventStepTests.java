package io.journeys.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.event.EventEffects;
import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journeys that react, run: {@code wait_for_event} with its two ways out, a goal reached
 * while a webhook call is being retried, and the trigger's event in every call. The
 * runner's passes and the events' effects run when the test says, at the times it sets.
 */
class EventStepTests extends ApiTests {

	@Autowired
	private StepRunner runner;

	@Autowired
	private EventEffects effects;

	private WebhookReceiver receiver;

	private Tenant tenant;

	@BeforeEach
	void setUp() throws Exception {
		this.receiver = new WebhookReceiver();
		this.tenant = newTenant();
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
	}

	@AfterEach
	void tearDown() {
		this.receiver.close();
	}

	private String journey(String fields) {
		Response created = this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Reacts\", " + fields + "}")
			.hasStatus(201);
		if (created.json().has("webhook_secret")) {
			this.receiver.secret(created.text("webhook_secret"));
		}
		String id = created.text("id");
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		return id;
	}

	private void send(String id, String name, String email) {
		this.http
			.post("/v1/events", this.tenant.token(),
					"{\"events\": [{\"id\": \"" + id + "\", \"name\": \"" + name + "\", \"contact_email_address\": \""
							+ email + "\", \"properties\": {\"total\": 120}}]}")
			.hasStatus(200);
		this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
	}

	private void enroll(String journey, String email) {
		contacts(this.tenant, "active", email);
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"" + email + "\"]}")
			.hasStatus(200);
	}

	private JsonNode only(String journey) {
		List<JsonNode> rows = walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token());
		assertThat(rows).hasSize(1);
		return rows.get(0);
	}

	private JsonNode detail(String journey, JsonNode enrollment) {
		return this.http
			.get("/v1/journeys/" + journey + "/enrollments/" + enrollment.get("id").asString(), this.tenant.token())
			.hasStatus(200)
			.json();
	}

	private static final String STEPS = "\"steps\": [{\"id\": \"cart\", \"type\": \"wait_for_event\", "
			+ "\"event_name\": \"purchased\", \"where\": {\"property\": \"total\", \"gte\": 100}, \"timeout\": \"PT1H\", "
			+ "\"next\": \"thanks\", \"timeout_next\": \"nudge\"}, "
			+ "{\"id\": \"nudge\", \"type\": \"wait\", \"duration\": \"PT1M\", \"next\": \"end\"}, "
			+ "{\"id\": \"thanks\", \"type\": \"wait\", \"duration\": \"PT2M\"}]";

	@Test
	void aWaitForEventMovesOnWhenItsEventComes() {
		String journey = journey(STEPS);
		enroll(journey, "a@x.com");
		this.runner.runDue();
		assertThat(only(journey).get("step_id").asString()).isEqualTo("cart");
		assertThat(only(journey).get("due_at").asString()).isEqualTo("2026-06-01T10:00:00Z");
		this.clock.advance(Duration.ofMinutes(10));
		send("p1", "purchased", "a@x.com");
		this.runner.runDue();
		JsonNode moved = only(journey);
		assertThat(moved.get("step_id").asString()).isEqualTo("thanks");
		List<JsonNode> timeline = List.copyOf(detail(journey, moved).get("timeline").values());
		assertThat(timeline).extracting(passage -> passage.get("step_id").asString()).containsExactly("cart", "thanks");
		assertThat(timeline.get(0).get("ended_by").toString())
			.isEqualTo("{\"cause\":\"event\",\"event\":{\"id\":\"p1\","
					+ "\"name\":\"purchased\",\"occurred_at\":\"2026-06-01T09:10:00Z\"}}");
	}

	@Test
	void aWaitForEventTimesOutAlongTimeoutNext() {
		String journey = journey(STEPS);
		enroll(journey, "a@x.com");
		this.runner.runDue();
		this.clock.advance(Duration.ofMinutes(10));
		// too small for the condition, and another event name: the wait goes on
		this.http
			.post("/v1/events", this.tenant.token(),
					"{\"events\": [{\"name\": \"purchased\", \"contact_email_address\": \"a@x.com\", "
							+ "\"properties\": {\"total\": 99}}, {\"name\": \"viewed\", \"contact_email_address\": "
							+ "\"a@x.com\", \"occurred_at\": \"2026-06-01T09:10:01Z\"}]}")
			.hasStatus(200);
		this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
		this.runner.runDue();
		assertThat(only(journey).get("step_id").asString()).isEqualTo("cart");
		this.clock.advance(Duration.ofMinutes(50));
		this.runner.runDue();
		JsonNode moved = only(journey);
		assertThat(moved.get("step_id").asString()).isEqualTo("nudge");
		JsonNode first = detail(journey, moved).get("timeline").get(0);
		assertThat(first.get("ended_by").toString()).isEqualTo("{\"cause\":\"timeout\"}");
		this.clock.advance(Duration.ofMinutes(1));
		this.runner.runDue();
		assertThat(only(journey).get("status").asString()).as("nudge's next is end").isEqualTo("completed");
	}

	@Test
	void anEventAfterTheTimeoutDoesNotEndTheWaitEvenBeforeTheRunnerMovedIt() {
		String journey = journey(STEPS);
		enroll(journey, "a@x.com");
		this.runner.runDue();
		this.clock.advance(Duration.ofMinutes(61));
		this.http
			.post("/v1/events", this.tenant.token(),
					"{\"events\": [{\"name\": \"purchased\", \"contact_email_address\": \"a@x.com\", "
							+ "\"occurred_at\": \"2026-06-01T10:00:30Z\", \"properties\": {\"total\": 500}}]}")
			.hasStatus(200);
		this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
		this.runner.runDue();
		assertThat(only(journey).get("step_id").asString()).isEqualTo("nudge");
	}

	@Test
	void twoWaysOutIntoOneStepInOnePassAreEachLoggedOnce() {
		String journey = journey("\"steps\": [{\"id\": \"hold\", \"type\": \"wait_for_event\", "
				+ "\"event_name\": \"purchased\", \"timeout\": \"PT1H\"}, "
				+ "{\"id\": \"after\", \"type\": \"wait\", \"duration\": \"PT1M\"}]");
		enroll(journey, "a@x.com");
		enroll(journey, "b@x.com");
		this.runner.runDue();
		this.clock.advance(Duration.ofMinutes(59));
		send("p1", "purchased", "a@x.com");
		this.clock.advance(Duration.ofMinutes(1));
		this.runner.runDue();
		List<JsonNode> rows = walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token());
		assertThat(rows).hasSize(2).allSatisfy(row -> {
			assertThat(row.get("step_id").asString()).isEqualTo("after");
			List<JsonNode> timeline = List.copyOf(detail(journey, row).get("timeline").values());
			assertThat(timeline).extracting(passage -> passage.get("step_id").asString())
				.containsExactly("hold", "after");
		});
	}

	@Test
	void anEventThatOccurredBeforeTheWaitBeganDoesNotEndIt() {
		String journey = journey(STEPS);
		enroll(journey, "a@x.com");
		this.runner.runDue();
		this.http
			.post("/v1/events", this.tenant.token(),
					"{\"events\": [{\"name\": \"purchased\", \"contact_email_address\": \"a@x.com\", "
							+ "\"occurred_at\": \"2026-06-01T08:59:00Z\", \"properties\": {\"total\": 500}}]}")
			.hasStatus(200);
		this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
		this.runner.runDue();
		assertThat(only(journey).get("step_id").asString()).isEqualTo("cart");
	}

	@Test
	void aGoalReachedWhileAWebhookIsRetriedEndsItAndTheCallIsNotMadeAgain() {
		this.receiver.answer(() -> 503);
		String journey = journey("\"goal\": {\"event_name\": \"activated\"}, "
				+ "\"steps\": [{\"type\": \"webhook\", \"url\": \"" + this.receiver.url() + "\"}]");
		enroll(journey, "a@x.com");
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(1);
		assertThat(only(journey).get("attempts").asInt()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(5));
		send("a1", "activated", "a@x.com");
		JsonNode exited = only(journey);
		assertThat(exited.get("status").asString()).isEqualTo("exited");
		assertThat(exited.get("exit_reason").asString()).isEqualTo("goal_reached");
		this.clock.advance(Duration.ofHours(2));
		this.runner.runDue();
		assertThat(this.receiver.calls()).as("the retry never happens").hasSize(1);
		JsonNode timeline = detail(journey, exited).get("timeline");
		assertThat(timeline.get(0).get("ended_by").get("cause").asString()).isEqualTo("goal_reached");
	}

	@Test
	void aTriggeredEnrollmentCarriesItsEventInEveryCall() {
		String journey = journey("\"trigger\": {\"event_name\": \"signed_up\"}, "
				+ "\"steps\": [{\"type\": \"webhook\", \"url\": \"" + this.receiver.url() + "\"}]");
		contacts(this.tenant, "active", "a@x.com");
		send("s1", "signed_up", "a@x.com");
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(1);
		JsonNode payload = Response.JSON.readTree(this.receiver.calls().get(0).body());
		assertThat(payload.get("data").get("trigger_event").toString()).isEqualTo("{\"id\":\"s1\",\"name\":"
				+ "\"signed_up\",\"occurred_at\":\"2026-06-01T09:00:00Z\",\"properties\":{\"total\":120}}");
		assertThat(only(journey).get("status").asString()).isEqualTo("completed");
	}

}
