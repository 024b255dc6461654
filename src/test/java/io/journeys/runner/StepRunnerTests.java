package io.journeys.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.journeys.support.ApiTests;
import io.micrometer.core.instrument.MeterRegistry;
import io.journeys.support.Response;
import io.journeys.support.WebhookReceiver;
import io.journeys.support.WebhookReceiver.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Journeys that run: steps through the API, the runner's passes at times the test sets
 * (the application {@link java.time.Clock} is moved, nothing sleeps), signed webhook
 * calls to a real receiver over HTTP, retries, pauses and edits.
 */
class StepRunnerTests extends ApiTests {

	private static final String RETRY_REFUSED = "can be retried only when exited with action_failed at a step the "
			+ "journey still has, in a journey not archived, and while the contact is not active in the journey";

	@Autowired
	private StepRunner runner;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private javax.sql.DataSource dataSource;

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

	/**
	 * A journey with these steps (JSON objects), switched on; its signing secret goes to
	 * the receiver.
	 */
	private String journeyWithSteps(String... steps) {
		Response created = this.http
			.post("/v1/journeys", this.tenant.token(),
					"{\"name\": \"Runs\", \"steps\": [" + String.join(", ", steps) + "]}")
			.hasStatus(201);
		String secret = created.text("webhook_secret");
		assertThat(secret).startsWith("whsec_");
		this.receiver.secret(secret);
		String id = created.text("id");
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		return id;
	}

	private String webhook() {
		return "{\"type\": \"webhook\", \"url\": \"" + this.receiver.url() + "\"}";
	}

	private static String waitFor(String duration) {
		return "{\"type\": \"wait\", \"duration\": \"" + duration + "\"}";
	}

	private void enroll(String journey, String... emails) {
		contacts(this.tenant, "active", emails);
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}")
			.hasStatus(200);
	}

	/** A pass a day, long enough for a failing webhook to use up its budget. */
	private void runDaily(int days) {
		for (int i = 0; i < days; i++) {
			this.runner.runDue();
			this.clock.advance(Duration.ofDays(1));
		}
	}

	private List<JsonNode> enrollments(String journey) {
		return walk("/v1/journeys/" + journey + "/enrollments?limit=100", this.tenant.token());
	}

	private Map<String, String> statusByEmail(String journey) {
		Map<String, String> statuses = new HashMap<>();
		enrollments(journey).forEach(e -> statuses.put(e.get("email_address").asString(), e.get("status").asString()));
		return statuses;
	}

	@Test
	void aContactGoesThroughWaitWebhookAndWaitAndCompletes() {
		String journey = journeyWithSteps(waitFor("PT1H"), webhook(), waitFor("PT30M"));
		List<JsonNode> steps = List.copyOf(this.http.get("/v1/journeys/" + journey, this.tenant.token())
			.hasStatus(200)
			.json()
			.get("steps")
			.values());
		assertThat(steps).hasSize(3);
		assertThat(steps.get(0).get("duration").asString()).isEqualTo("PT1H");
		assertThat(steps.get(0).propertyNames()).containsExactly("id", "type", "duration");
		assertThat(steps.get(1).propertyNames()).containsExactly("id", "type", "url");
		enroll(journey, "a@x.com", "b@x.com");
		String a = this.http.get("/v1/contacts?email_address=a@x.com", this.tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		// what the contact is when the call is made
		this.http.patch("/v1/contacts/" + a, this.tenant.token(),
				"{\"first_name\": \"Ann\", \"time_zone\": \"Europe/Paris\", \"attributes\": {\"plan\": \"pro\", \"address\": {\"city\": \"Lyon\"}}}")
			.hasStatus(200);

		this.runner.runDue();
		assertThat(this.receiver.calls()).as("nothing is called during the first wait").isEmpty();
		assertThat(enrollments(journey)).allSatisfy(e -> {
			assertThat(e.get("step_id").asString()).isEqualTo(steps.get(0).get("id").asString());
			assertThat(e.get("due_at").asString()).isEqualTo(this.clock.instant().plus(Duration.ofHours(1)).toString());
		});

		this.clock.advance(Duration.ofMinutes(59));
		this.runner.runDue();
		assertThat(this.receiver.calls()).isEmpty();
		this.clock.advance(Duration.ofMinutes(1));
		this.runner.runDue();
		List<Call> calls = this.receiver.calls();
		assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
		assertThat(calls).extracting(Call::timestamp)
			.containsOnly(Long.toString(this.clock.instant().getEpochSecond()));
		JsonNode payload = Response.JSON.readTree(calls.get(0).body());
		assertThat(payload.get("type").asString()).isEqualTo("journey.step.webhook");
		assertThat(payload.get("data").get("journey").get("id").asString()).isEqualTo(journey);
		assertThat(payload.get("data").get("step").get("id").asString()).isEqualTo(steps.get(1).get("id").asString());
		assertThat(payload.get("data").get("attempt").asInt()).isEqualTo(1);
		assertThat(Set.of(payload.get("data").get("contact").get("email_address").asString()))
			.isSubsetOf(Set.of("a@x.com", "b@x.com"));
		Map<String, JsonNode> contacts = calls.stream()
			.map(call -> Response.JSON.readTree(call.body()).get("data").get("contact"))
			.collect(Collectors.toMap(contact -> contact.get("email_address").asString(), contact -> contact));
		assertThat(contacts.get("a@x.com")).isEqualTo(Response.JSON.readTree("""
				{"id": "%s", "email_address": "a@x.com", "first_name": "Ann", "last_name": null,
				 "attributes": {"plan": "pro", "address": {"city": "Lyon"}}, "time_zone": "Europe/Paris"}
				""".formatted(a)));
		assertThat(contacts.get("b@x.com").get("attributes")).isEqualTo(Response.JSON.readTree("{}"));
		assertThat(contacts.get("b@x.com").has("time_zone")).isTrue();
		assertThat(contacts.get("b@x.com").get("time_zone").isNull()).isTrue();
		assertThat(enrollments(journey)).allSatisfy(e -> {
			assertThat(e.get("status").asString()).isEqualTo("active");
			assertThat(e.get("step_id").asString()).isEqualTo(steps.get(2).get("id").asString());
		});

		this.clock.advance(Duration.ofMinutes(30));
		this.runner.runDue();
		assertThat(enrollments(journey)).allSatisfy(e -> {
			assertThat(e.get("status").asString()).isEqualTo("completed");
			assertThat(e.get("completed_at").asString()).isEqualTo(this.clock.instant().toString());
		});
		assertThat(this.receiver.calls()).hasSize(2);
		// the 12-hour re-entry rule follows by itself
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.is(200, "{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [], \"already_enrolled\": [],"
					+ " \"recently_completed\": [\"a@x.com\"]}}");
	}

	@Test
	void aFailingReceiverIsRetriedWithBackoffUntilItAnswers() {
		AtomicInteger answered = new AtomicInteger();
		this.receiver.answer(() -> answered.incrementAndGet() <= 3 ? 500 : 204);
		String journey = journeyWithSteps(webhook());
		enroll(journey, "a@x.com");
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(1);
		JsonNode enrollment = enrollments(journey).get(0);
		assertThat(enrollment.get("attempts").asInt()).isEqualTo(1);
		assertThat(enrollment.get("last_status").asInt()).isEqualTo(500);
		assertThat(enrollment.get("last_error").asString()).contains("receiver says 500");
		Instant due = Instant.parse(enrollment.get("due_at").asString());
		// the first retry waits between half of and all of 15 s
		assertThat(Duration.between(this.clock.instant(), due)).isBetween(Duration.ofMillis(7500),
				Duration.ofSeconds(15));
		this.runner.runDue();
		assertThat(this.receiver.calls()).as("not before it is due").hasSize(1);
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofHours(1));
			this.runner.runDue();
		}
		assertThat(this.receiver.calls()).hasSize(4)
			.extracting(Call::id)
			.containsOnly(this.receiver.calls().get(0).id());
		assertThat(this.receiver.calls())
			.extracting(call -> Response.JSON.readTree(call.body()).get("data").get("attempt").asInt())
			.containsExactly(1, 2, 3, 4);
		JsonNode completed = enrollments(journey).get(0);
		assertThat(completed.get("status").asString()).isEqualTo("completed");

		// the timeline shows the step, its four calls with the backoff between them, and
		// its end
		JsonNode detail = this.http
			.get("/v1/journeys/" + journey + "/enrollments/" + completed.get("id").asString(), this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(detail.get("status").asString()).isEqualTo("completed");
		JsonNode passage = detail.get("timeline").get(0);
		assertThat(detail.get("timeline").size()).isEqualTo(1);
		assertThat(passage.get("attempts").asInt()).isEqualTo(4);
		assertThat(passage.get("last_status").asInt()).isEqualTo(204);
		assertThat(passage.get("ended_at").asString()).isEqualTo(completed.get("completed_at").asString());
		// issue 19: one meaning of attempts (the calls the current step made) in the
		// listing, the detail and the timeline, the successful call included
		assertThat(List.of(completed, detail)).allSatisfy(view -> {
			assertThat(view.get("step_id").asString()).isEqualTo(passage.get("step_id").asString());
			assertThat(view.get("attempts").asInt()).isEqualTo(4);
			assertThat(view.get("last_status").asInt()).isEqualTo(204);
			assertThat(view.has("last_error")).isFalse();
			assertThat(view.get("last_attempt_at").asString()).isEqualTo(completed.get("completed_at").asString());
		});
		List<JsonNode> calls = List.copyOf(passage.get("calls").values());
		assertThat(calls).extracting(call -> call.get("status").asInt()).containsExactly(500, 500, 500, 204);
		assertThat(calls.get(0).get("error").asString()).contains("receiver says 500");
		for (int i = 1; i < calls.size(); i++) {
			assertThat(Instant.parse(calls.get(i).get("at").asString()))
				.isAfter(Instant.parse(calls.get(i - 1).get("at").asString()).plusSeconds(7));
		}
	}

	@Test
	void anEnrollmentThatUsesUpItsRetryBudgetExitsWithActionFailed() {
		this.receiver.answer(() -> 503);
		String journey = journeyWithSteps(webhook(), waitFor("PT1H"));
		enroll(journey, "a@x.com");
		runDaily(12);
		assertThat(this.receiver.calls()).as("the default budget is 8 calls").hasSize(8);
		JsonNode enrollment = enrollments(journey).get(0);
		assertThat(enrollment.get("status").asString()).isEqualTo("exited");
		assertThat(enrollment.get("exit_reason").asString()).isEqualTo("action_failed");
		assertThat(enrollment.get("attempts").asInt()).isEqualTo(8);
		JsonNode stats = this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats");
		assertThat(stats.get("action_failed").asInt()).isEqualTo(1);
		assertThat(stats.get("exited").asInt()).isEqualTo(1);
		assertThat(this.registry.get("journeys.runner.steps").tag("outcome", "action_failed").counter().count())
			.isGreaterThanOrEqualTo(1);

		// a call puts it back at the failed step, with a fresh budget
		String path = "/v1/journeys/" + journey + "/enrollments/" + enrollment.get("id").asString();
		JsonNode retried = this.http.post(path + "/retry", this.tenant.token(), null).hasStatus(200).json();
		assertThat(retried.get("status").asString()).isEqualTo("active");
		assertThat(retried.get("attempts").asInt()).isZero();
		assertThat(retried.has("exit_reason")).isFalse();
		this.http.post(path + "/retry", this.tenant.token(), null)
			.is(422, "{\"error\": {\"status\": [\"" + RETRY_REFUSED + "\"]}}");
		this.receiver.answer(() -> 200);
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(9);
		assertThat(this.http.get(path, this.tenant.token()).json().get("step_id").asString())
			.as("on to the wait after the webhook")
			.isNotEqualTo(enrollment.get("step_id").asString());
		this.http
			.get("/v1/journeys/" + journey + "/enrollments/01a2253f-2b89-759a-99cb-178738f0e67f", this.tenant.token())
			.is(404, "{\"error\": \"Enrollment not found\"}");
	}

	/**
	 * A batch whose calls all failed ends the step's pass (before, the pass went on to
	 * the 250th), so that the destination's breaker judges after it rather than after a
	 * second of failing batches.
	 */
	@Test
	void aBatchWhoseCallsAllFailedEndsThePassAtItsStep() {
		this.receiver.answer(() -> 503);
		String journey = journeyWithSteps(webhook());
		enroll(journey, IntStream.range(0, 250).mapToObj(i -> "p" + i + "@x.com").toArray(String[]::new));
		this.runner.runDue();
		assertThat(this.receiver.calls()).as("one batch of 100, every call failed").hasSize(100);
		JsonNode destination = this.http.get("/v1/destinations", this.tenant.token()).json().get("data").get(0);
		assertThat(destination.get("state").asString()).isEqualTo("paused");
		assertThat(destination.get("paused_reason").asString()).isEqualTo("failing");
		assertThat(statusByEmail(journey).values()).hasSize(250).containsOnly("active");
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
	}

	@Test
	void aBulkRetryPutsEveryFailedEnrollmentBackAndTheRunnerCallsAgain() {
		this.receiver.answer(() -> 503);
		String journey = journeyWithSteps(webhook(), waitFor("PT1H"));
		enroll(journey, "a@x.com", "b@x.com");
		runDaily(12);
		assertThat(this.receiver.calls()).hasSize(16);
		assertThat(statusByEmail(journey).values()).containsOnly("exited");
		this.http.post("/v1/journeys/" + journey + "/enrollments/retry", this.tenant.token(), "{}")
			.is(200, "{\"retried\": 2}");
		this.receiver.answer(() -> 200);
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(18).allSatisfy(call -> assertThat(call.signatureValid()).isTrue());
		assertThat(enrollments(journey)).allSatisfy(e -> {
			assertThat(e.get("status").asString()).isEqualTo("active");
			assertThat(e.get("attempts").asInt()).as("the wait after the webhook").isZero();
		});
	}

	/**
	 * Issue 19: an enrollment ended by complete or unenroll while it waits has no due
	 * time any more, in the listing and the detail, as one the runner ended.
	 */
	@Test
	void completeAndUnenrollEndTheDueTimeToo() {
		String journey = journeyWithSteps(waitFor("P1D"));
		enroll(journey, "done@x.com", "gone@x.com");
		assertThat(enrollments(journey)).allSatisfy(e -> assertThat(e.has("due_at")).isTrue());
		this.http
			.post("/v1/journeys/" + journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"done@x.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"gone@x.com\"]}")
			.hasStatus(200);
		assertThat(enrollments(journey)).hasSize(2).allSatisfy(e -> {
			assertThat(e.get("status").asString()).isIn("completed", "exited");
			assertThat(e.has("due_at")).as("due_at of %s", e).isFalse();
			JsonNode detail = this.http
				.get("/v1/journeys/" + journey + "/enrollments/" + e.get("id").asString(), this.tenant.token())
				.hasStatus(200)
				.json();
			assertThat(detail.has("due_at")).isFalse();
		});
		this.clock.advance(Duration.ofDays(2));
		this.runner.runDue();
		assertThat(statusByEmail(journey)).containsEntry("done@x.com", "completed")
			.containsEntry("gone@x.com", "exited");
	}

	@Test
	void noRetryAtAStepThatWasRemovedOrInAnArchivedJourney() {
		this.receiver.answer(() -> 500);
		String journey = journeyWithSteps(webhook(), waitFor("PT1H"));
		enroll(journey, "a@x.com", "b@x.com");
		runDaily(10);
		List<JsonNode> failed = enrollments(journey);
		assertThat(failed).extracting(e -> e.get("exit_reason").asString()).containsOnly("action_failed");
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		String kept = this.http.get("/v1/journeys/" + journey, this.tenant.token())
			.json()
			.get("steps")
			.get(1)
			.get("id")
			.asString();
		this.http
			.patch("/v1/journeys/" + journey, this.tenant.token(),
					"{\"steps\": [{\"id\": \"" + kept + "\", \"type\": \"wait\", \"duration\": \"PT1H\"}]}")
			.hasStatus(200);
		String path = "/v1/journeys/" + journey + "/enrollments/";
		this.http.post(path + failed.get(0).get("id").asString() + "/retry", this.tenant.token(), null)
			.is(422, "{\"error\": {\"status\": [\"" + RETRY_REFUSED + "\"]}}");
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"archived\"}").hasStatus(200);
		this.http.post(path + failed.get(1).get("id").asString() + "/retry", this.tenant.token(), null)
			.is(422, "{\"error\": {\"status\": [\"" + RETRY_REFUSED + "\"]}}");
		assertThat(statusByEmail(journey).values()).containsOnly("exited");
	}

	@Test
	void theJourneyShowsWhereItsEnrollmentsStand() {
		this.receiver.answer(() -> 500);
		String journey = journeyWithSteps(waitFor("PT1H"), webhook());
		enroll(journey, "a@x.com", "b@x.com", "c@x.com");
		JsonNode before = this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats");
		assertThat(before.get("not_started").asInt()).isEqualTo(3);
		this.runner.runDue();
		this.http
			.post("/v1/journeys/" + journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"c@x.com\"]}")
			.hasStatus(200);
		JsonNode stats = this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats");
		assertThat(stats.get("steps").get(0).get("waiting").asInt()).isEqualTo(2);
		assertThat(stats.get("completed").asInt()).isEqualTo(1);
		this.clock.advance(Duration.ofHours(1));
		this.runner.runDue();
		stats = this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats");
		assertThat(stats.get("steps").get(1).get("retrying").asInt()).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		stats = this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats");
		assertThat(stats.get("steps").get(1).get("due").asInt()).isEqualTo(2);
		this.runner.runDue();
		assertThat(this.registry.get("journeys.runner.due").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("journeys.runner.lag").gauge().value()).isGreaterThan(0);
		assertThat(walk("/v1/journeys", this.tenant.token()))
			.allSatisfy(listed -> assertThat(listed.has("stats")).as("listings leave stats out").isFalse());
	}

	@Test
	void aJourneySwitchedOffPausesAndResumesWhereItStopped() {
		String journey = journeyWithSteps(waitFor("PT1H"), webhook());
		enroll(journey, "a@x.com");
		this.runner.runDue();
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		this.clock.advance(Duration.ofHours(2));
		this.runner.runDue();
		assertThat(this.receiver.calls()).isEmpty();
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(1);
		assertThat(statusByEmail(journey)).containsEntry("a@x.com", "completed");
	}

	@Test
	void noStepStartsAfterASwitchOffCommits() throws Exception {
		this.receiver.delay(50);
		String journey = journeyWithSteps(webhook(), webhook());
		List<String> emails = IntStream.range(0, 300).mapToObj(i -> "s" + i + "@x.com").toList();
		enroll(journey, emails.toArray(String[]::new));
		CompletableFuture<Integer> run = CompletableFuture.supplyAsync(this.runner::runDue);
		while (this.receiver.calls().isEmpty()) {
			Thread.sleep(5);
		}
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		long switched = System.nanoTime();
		run.get();
		this.runner.runDue();
		List<Call> calls = this.receiver.calls();
		assertThat(calls).as("no call starts after the switch")
			.allSatisfy(call -> assertThat(call.receivedNanos()).isLessThan(switched));
		assertThat(calls.size()).as("the run stopped in the middle").isLessThan(600);
		assertThat(statusByEmail(journey).values()).contains("active");

		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		this.runner.runDue();
		assertThat(statusByEmail(journey).values()).containsOnly("completed");
		assertThat(this.receiver.calls().stream().map(Call::id).distinct().count()).isEqualTo(600);
		assertThat(this.receiver.calls()).hasSize(600);
	}

	@Test
	void unenrollCompleteAndArchiveStopTheNextStep() {
		String journey = journeyWithSteps(waitFor("PT1H"), webhook());
		enroll(journey, "a@x.com", "b@x.com", "c@x.com");
		this.runner.runDue();
		this.http
			.post("/v1/journeys/" + journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"b@x.com\"]}")
			.hasStatus(200);
		String contact = this.http.get("/v1/contacts?email_address=c%40x.com", this.tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		this.http.delete("/v1/contacts/" + contact, this.tenant.token()).hasStatus(204);
		this.clock.advance(Duration.ofHours(2));
		this.runner.runDue();
		assertThat(this.receiver.calls()).isEmpty();

		String archived = journeyWithSteps(waitFor("PT1H"), webhook());
		enroll(archived, "d@x.com");
		this.runner.runDue();
		this.http.patch("/v1/journeys/" + archived, this.tenant.token(), "{\"state\": \"archived\"}").hasStatus(200);
		this.clock.advance(Duration.ofHours(2));
		this.runner.runDue();
		assertThat(this.receiver.calls()).isEmpty();
		JsonNode exited = enrollments(archived).get(0);
		assertThat(exited.get("status").asString()).isEqualTo("exited");
		assertThat(exited.get("exit_reason").asString()).isEqualTo("journey_archived");
	}

	@Test
	void aJourneyWithNoStepsCompletesItsEnrollmentsAtOnce() {
		String journey = journeyWithSteps();
		enroll(journey, "a@x.com");
		this.runner.runDue();
		assertThat(statusByEmail(journey)).containsEntry("a@x.com", "completed");
	}

	@Test
	void aJourneyWithoutStepsIsLeftAlone() {
		String journey = journey(this.tenant, "on");
		enroll(journey, "a@x.com");
		this.clock.advance(Duration.ofDays(30));
		this.runner.runDue();
		JsonNode enrollment = enrollments(journey).get(0);
		assertThat(enrollment.get("status").asString()).isEqualTo("active");
		assertThat(enrollment.has("step_id")).isFalse();
		assertThat(enrollment.has("due_at")).isFalse();
	}

	@Test
	void twoRunnersShareTheDueCallsAndNoCallIsMadeTwice() throws Exception {
		this.receiver.delay(20);
		String journey = journeyWithSteps(webhook());
		List<String> emails = IntStream.range(0, 300).mapToObj(i -> "p" + i + "@x.com").toList();
		enroll(journey, emails.toArray(String[]::new));
		CompletableFuture<Integer> one = CompletableFuture.supplyAsync(this.runner::runDue);
		CompletableFuture<Integer> two = CompletableFuture.supplyAsync(this.runner::runDue);
		int work = one.get() + two.get();
		this.runner.runDue();
		List<Call> calls = this.receiver.calls();
		Set<String> ids = calls.stream().map(Call::id).collect(Collectors.toSet());
		assertThat(ids).hasSize(300);
		assertThat(calls).as("each webhook-id once").hasSize(300);
		assertThat(work).isGreaterThanOrEqualTo(300);
		assertThat(statusByEmail(journey).values()).containsOnly("completed");
	}

	@Test
	void aPassLeavesTheMovesOfAJourneyToTheInstanceMovingThem() throws Exception {
		String journey = journeyWithSteps(waitFor("PT1H"), webhook());
		enroll(journey, "a@x.com");
		this.runner.runDue();
		this.clock.advance(Duration.ofHours(1));
		try (java.sql.Connection other = this.dataSource.getConnection()) {
			// another instance's pass, in the middle of its moves of this journey
			other.setAutoCommit(false);
			try (var lock = other
				.prepareStatement("select pg_advisory_xact_lock(hashtextextended('runner:' || ?, 0))")) {
				lock.setString(1, journey);
				lock.execute();
			}
			assertThat(this.runner.runDue()).isZero();
			assertThat(this.receiver.calls()).isEmpty();
			assertThat(enrollments(journey).get(0).get("step_id").asString())
				.isEqualTo(this.http.get("/v1/journeys/" + journey, this.tenant.token())
					.json()
					.get("steps")
					.get(0)
					.get("id")
					.asString());
			other.rollback();
		}
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(1);
		assertThat(statusByEmail(journey)).containsEntry("a@x.com", "completed");
	}

	@Test
	void afterAnyEditOfTheStepsEveryActiveEnrollmentIsAtAStepThatExists() {
		java.util.Random random = new java.util.Random(7);
		String journey = journeyWithSteps(waitFor("PT1H"), waitFor("PT2H"), waitFor("PT3H"), waitFor("PT4H"));
		List<String> emails = IntStream.range(0, 20).mapToObj(i -> "e" + i + "@x.com").toList();
		enroll(journey, emails.toArray(String[]::new));
		this.runner.runDue();
		for (int round = 0; round < 25; round++) {
			// spread the enrollments over the steps: some move on, some are new
			this.clock.advance(Duration.ofMinutes(30 + random.nextInt(240)));
			this.runner.runDue();
			this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
			List<JsonNode> current = List
				.copyOf(this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("steps").values());
			List<String> edited = new ArrayList<>();
			for (JsonNode step : current) {
				if (random.nextInt(3) > 0) {
					edited.add("{\"id\": \"" + step.get("id").asString() + "\", \"type\": \"wait\", \"duration\": \""
							+ step.get("duration").asString() + "\"}");
				}
			}
			java.util.Collections.shuffle(edited, random);
			for (int added = random.nextInt(3); added > 0; added--) {
				edited.add(random.nextInt(edited.size() + 1), waitFor("PT" + (1 + random.nextInt(5)) + "H"));
			}
			JsonNode after = this.http
				.patch("/v1/journeys/" + journey, this.tenant.token(),
						"{\"steps\": [" + String.join(", ", edited) + "]}")
				.hasStatus(200)
				.json();
			Set<String> ids = new HashSet<>();
			after.get("steps").values().forEach(step -> ids.add(step.get("id").asString()));
			for (JsonNode enrollment : enrollments(journey)) {
				if (enrollment.get("status").asString().equals("active") && enrollment.has("step_id")) {
					assertThat(ids).as("round %d", round).contains(enrollment.get("step_id").asString());
				}
				else if (!enrollment.get("status").asString().equals("active")) {
					assertThat(enrollment.get("status").asString()).isEqualTo("completed");
				}
			}
			this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
			List<String> completed = statusByEmail(journey).entrySet()
				.stream()
				.filter(e -> e.getValue().equals("completed"))
				.map(Map.Entry::getKey)
				.toList();
			if (!completed.isEmpty() && random.nextBoolean()) {
				this.clock.advance(Duration.ofHours(13));
				enroll(journey, completed.toArray(String[]::new));
			}
		}
	}

	@Test
	void aReceiverThatIsDownIsAFailedCallAndHealthStaysUp() {
		String journey = journeyWithSteps(webhook());
		this.receiver.close();
		enroll(journey, "a@x.com");
		this.runner.runDue();
		JsonNode enrollment = enrollments(journey).get(0);
		assertThat(enrollment.get("last_error").asString()).isEqualTo("connection refused or unreachable");
		assertThat(enrollment.has("last_status")).isFalse();
		assertThat(this.http.get("/actuator/health", null).hasStatus(200).body()).isEqualTo("{\"status\":\"UP\"}");
	}

	@Test
	void aRotatedSecretSignsBesideTheNewOneForItsGrace() {
		String journey = journeyWithSteps(waitFor("PT1H"), webhook(), waitFor("PT1H"), webhook());
		enroll(journey, "a@x.com");
		this.runner.runDue();
		JsonNode rotated = this.http
			.post("/v1/journeys/" + journey + "/webhook_secret/rotate", this.tenant.token(), null)
			.hasStatus(200)
			.json();
		assertThat(rotated.get("object").asString()).isEqualTo("webhook_secret");
		assertThat(rotated.get("previous_valid_until").asString())
			.isEqualTo(this.clock.instant().plus(Duration.ofHours(24)).toString());
		this.clock.advance(Duration.ofHours(1));
		this.runner.runDue();
		Call during = this.receiver.calls().get(0);
		assertThat(during.signature().split(" ")).hasSize(2);
		assertThat(during.signatureValid()).as("valid by the old secret").isTrue();
		this.receiver.secret(rotated.get("webhook_secret").asString());
		this.clock.advance(Duration.ofHours(24));
		this.runner.runDue();
		Call after = this.receiver.calls().get(1);
		assertThat(after.signature().split(" ")).as("the old secret no longer signs").hasSize(1);
		assertThat(after.signatureValid()).as("valid by the new secret").isTrue();
		String manual = journey(this.tenant, "draft");
		this.http.post("/v1/journeys/" + manual + "/webhook_secret/rotate", this.tenant.token(), null)
			.is(422, "{\"error\": {\"steps\": [\"the journey has no steps, and so no webhook secret to rotate\"]}}");
	}

	@Test
	void secretsAreStoredEncrypted() {
		Map<String, String> headers = Map.of("Authorization", "Bearer " + this.tenant.token(), "Content-Type",
				"application/json", "Idempotency-Key", "secret-journey-" + this.tenant.companyId());
		byte[] body = ("{\"name\": \"J\", \"steps\": [" + webhook() + "]}").getBytes();
		Response created = this.http.send("POST", "/v1/journeys", headers, body).hasStatus(201);
		String secret = created.text("webhook_secret");
		Response replayed = this.http.send("POST", "/v1/journeys", headers, body).hasStatus(201);
		assertThat(replayed.body()).as("the replay shows the same answer").isEqualTo(created.body());
		String stored = this.jdbc.sql("select webhook_secret from journeys where id = cast(:id as uuid)")
			.param("id", created.text("id"))
			.query(String.class)
			.single();
		byte[] kept = this.jdbc.sql("select response_body from idempotency_keys where key = :key")
			.param("key", "secret-journey-" + this.tenant.companyId())
			.query(byte[].class)
			.single();
		assertThat(stored).startsWith("aesgcm:").doesNotContain(secret.substring("whsec_".length()));
		assertThat(new String(kept, java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("aesgcm:")
			.doesNotContain(secret.substring("whsec_".length()));
	}

	@Test
	void stepsChangeOnlyWhileTheJourneyIsDraftOrOff() {
		String journey = journeyWithSteps(waitFor("PT1H"));
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"steps\": []}")
			.is(422, "{\"error\": {\"steps\": [\"cannot change while the journey is on\"]}}");
	}

	@Test
	void badStepsAreRefusedFieldByField() {
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "J", "steps": [{"type": "wait"}, {"type": "wait", "duration": "PT0.5S"},
				 {"type": "wait", "duration": "P400D"}, {"type": "wait", "duration": "soon"},
				 {"type": "webhook"}, {"type": "webhook", "url": "ftp://x.com/"}, {"type": "email"},
				 {"id": "step nope", "type": "wait", "duration": "PT1H"}]}
				""")
			.is(422, "{\"error\": {\"steps[0].duration\": [\"can't be blank\"], "
					+ "\"steps[1].duration\": [\"must be at least 1 second\"], "
					+ "\"steps[2].duration\": [\"must be at most 365 days\"], "
					+ "\"steps[3].duration\": [\"is not an ISO-8601 duration in days, hours, minutes and seconds\"], "
					+ "\"steps[4].url\": [\"can't be blank\"], \"steps[5].url\": [\"is invalid\"], "
					+ "\"steps[6].type\": [\"is not included in the list\"], "
					+ "\"steps[7].id\": [\"must be 1 to 64 letters, digits, _ or -, and not end\"]}}");
		this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"J\", \"steps\": [{\"duration\": \"PT1H\"}]}")
			.is(422, "{\"error\": {\"steps[0].type\": [\"can't be blank\"]}}");
		assertThat(walk("/v1/journeys", this.tenant.token())).isEmpty();
	}

}
