package io.journeys.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.runner.RunnerRepository.DueJourney;
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
 * Destinations through the API and the runner: listed from the steps, paused by hand and
 * by the circuit breaker, probed, resumed, limited; held-back enrollments keep their
 * attempts.
 */
class DestinationTests extends ApiTests {

	@Autowired
	private StepRunner runner;

	private WebhookReceiver receiver;

	private Tenant tenant;

	private final List<String> journeys = new ArrayList<>();

	@BeforeEach
	void setUp() throws Exception {
		this.receiver = new WebhookReceiver();
		this.tenant = newTenant();
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
	}

	/**
	 * Switched off: what a test leaves held back is not due work for the next class's
	 * runner.
	 */
	@AfterEach
	void tearDown() {
		this.receiver.close();
		this.journeys
			.forEach(journey -> this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}")
				.hasStatus(200));
	}

	private String origin() {
		return this.receiver.url().replace("/hook", "");
	}

	private String journeyCalling(int contacts) {
		Response created = this.http
			.post("/v1/journeys", this.tenant.token(),
					"{\"name\": \"Calls\", \"steps\": [{\"type\": \"webhook\", " + "\"url\": \"" + this.receiver.url()
							+ "\"}]}")
			.hasStatus(201);
		this.receiver.secret(created.text("webhook_secret"));
		String id = created.text("id");
		this.journeys.add(id);
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		String[] emails = new String[contacts];
		for (int i = 0; i < contacts; i++) {
			emails[i] = "c" + i + "@x.com";
		}
		contacts(this.tenant, "active", emails);
		this.http
			.post("/v1/journeys/" + id + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}")
			.hasStatus(200);
		return id;
	}

	private JsonNode destination() {
		JsonNode page = this.http.get("/v1/destinations", this.tenant.token()).hasStatus(200).json();
		assertThat(page.get("data")).hasSize(1);
		return page.get("data").get(0);
	}

	private List<JsonNode> enrollments(String journey) {
		return walk("/v1/journeys/" + journey + "/enrollments?limit=100", this.tenant.token());
	}

	private JsonNode stepStats(String journey) {
		return this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats").get("steps").get(0);
	}

	private void later(Duration duration) {
		this.clock.set(this.clock.instant().plus(duration));
	}

	@Test
	void aJourneysWebhookOriginIsADestinationWithItsLastHoursCalls() {
		this.receiver.answer(() -> 500);
		journeyCalling(3);
		JsonNode before = destination();
		assertThat(before.get("object").asString()).isEqualTo("destination");
		assertThat(before.get("origin").asString()).isEqualTo(origin());
		assertThat(before.get("state").asString()).isEqualTo("active");
		assertThat(before.get("paused_reason").isNull()).isTrue();
		assertThat(before.get("max_per_second").isNull()).isTrue();
		assertThat(before.get("calls_last_hour").asLong()).isZero();

		this.runner.runDue();
		JsonNode after = this.http.get("/v1/destinations/" + before.get("id").asString(), this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(after.get("calls_last_hour").asLong()).isEqualTo(3);
		assertThat(after.get("failures_last_hour").asLong()).isEqualTo(3);
		assertThat(after.get("state").asString()).as("3 failures are fewer than 20").isEqualTo("active");

		later(Duration.ofMinutes(61));
		assertThat(this.http.get("/v1/destinations/" + before.get("id").asString(), this.tenant.token())
			.json()
			.get("calls_last_hour")
			.asLong()).isZero();
		assertThat(this.http.get("/v1/destinations", newTenant().token()).json().get("data"))
			.as("another company sees none of them")
			.isEmpty();
	}

	@Test
	void aDestinationPausedByHandHoldsItsCallsWithoutChargingThem() {
		String journey = journeyCalling(4);
		String id = destination().get("id").asString();
		JsonNode paused = this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"paused\"}")
			.hasStatus(200)
			.json();
		assertThat(paused.get("state").asString()).isEqualTo("paused");
		assertThat(paused.get("paused_reason").asString()).isEqualTo("manual");
		assertThat(paused.get("paused_at").asString()).isEqualTo(this.clock.instant().toString());

		this.runner.runDue();
		later(Duration.ofMinutes(5));
		this.runner.runDue();
		assertThat(this.receiver.calls()).isEmpty();
		assertThat(enrollments(journey)).allSatisfy(e -> assertThat(e.get("attempts").asInt()).isZero());
		assertThat(stepStats(journey).get("waiting_on_paused_destination").asLong()).isEqualTo(4);

		JsonNode resumed = this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"active\"}")
			.hasStatus(200)
			.json();
		assertThat(resumed.get("state").asString()).isEqualTo("active");
		assertThat(resumed.get("paused_reason").isNull()).isTrue();
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(4);
		assertThat(enrollments(journey)).allSatisfy(e -> assertThat(e.get("status").asString()).isEqualTo("completed"));
	}

	@Test
	void aDestinationWhoseCallsAllFailPausesIsProbedOnceAMinuteAndResumes() {
		this.receiver.answer(() -> 503);
		String journey = journeyCalling(25);
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(25);
		JsonNode paused = destination();
		assertThat(paused.get("state").asString()).isEqualTo("paused");
		assertThat(paused.get("paused_reason").asString()).isEqualTo("failing");

		// their retries fall due, but nothing is called or charged until the probe
		later(Duration.ofSeconds(50));
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(25);
		assertThat(stepStats(journey).get("waiting_on_paused_destination").asLong()).isEqualTo(25);

		later(Duration.ofSeconds(10));
		this.runner.runDue();
		this.runner.runDue();
		assertThat(this.receiver.calls()).as("one probe a minute").hasSize(26);
		assertThat(enrollments(journey))
			.allSatisfy(e -> assertThat(e.get("attempts").asInt()).as("a failed probe is not charged").isEqualTo(1));
		assertThat(destination().get("state").asString()).isEqualTo("paused");

		this.receiver.answer(() -> 200);
		later(Duration.ofMinutes(1));
		this.runner.runDue();
		JsonNode resumed = destination();
		assertThat(resumed.get("state").asString()).isEqualTo("active");
		assertThat(this.receiver.calls()).as("the probe succeeded").hasSize(27);
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(51);
		assertThat(enrollments(journey)).allSatisfy(e -> assertThat(e.get("status").asString()).isEqualTo("completed"));
		assertThat(stepStats(journey).get("waiting_on_paused_destination").asLong()).isZero();
	}

	@Test
	void subscriptionsAreToldOfEachPauseAndResume() {
		String subscription = this.http
			.post("/v1/subscriptions", this.tenant.token(),
					"{\"url\": \"https://example.com/events\", \"event_types\": [\"destination.paused\", "
							+ "\"destination.resumed\"], \"journey_ids\": [\"" + journeyCalling(20) + "\"]}")
			.hasStatus(201)
			.text("id");
		this.receiver.answer(() -> 500);
		this.runner.runDue();
		String id = destination().get("id").asString();
		this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"active\"}").hasStatus(200);
		this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"paused\"}").hasStatus(200);
		this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"paused\"}").hasStatus(200);
		List<String> told = walk("/v1/subscriptions/" + subscription + "/deliveries", this.tenant.token()).stream()
			.map(delivery -> delivery.get("type").asString())
			.toList();
		assertThat(told).as("the breaker's pause, the resume and one pause by hand (the test's clock stands still)")
			.containsExactlyInAnyOrder("destination.paused", "destination.resumed", "destination.paused");
	}

	@Test
	void aStepWithNothingDueAtAPausedDestinationLeavesTheProbeToOneThatHas() {
		this.receiver.answer(() -> 503);
		String failing = journeyCalling(20);
		this.runner.runDue();
		assertThat(destination().get("paused_reason").asString()).isEqualTo("failing");
		Response waiting = this.http
			.post("/v1/journeys", this.tenant.token(),
					"{\"name\": \"Waits first\", \"steps\": [{\"type\": \"wait\", \"duration\": \"PT1H\"}, "
							+ "{\"type\": \"webhook\", \"url\": \"" + this.receiver.url() + "\"}]}")
			.hasStatus(201);
		String other = waiting.text("id");
		this.journeys.add(other);
		this.http.patch("/v1/journeys/" + other, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		this.http
			.post("/v1/journeys/" + other + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"c0@x.com\"]}")
			.hasStatus(200);
		this.receiver.answer(() -> 200);
		later(Duration.ofMinutes(1));
		UUID company = UUID.fromString(this.tenant.companyId());
		this.runner.runJourney(new DueJourney(company, UUID.fromString(other)));
		this.runner.runJourney(new DueJourney(company, UUID.fromString(failing)));
		assertThat(this.receiver.calls()).as("the probe went to the journey with a call due").hasSize(21);
		assertThat(destination().get("state").asString()).isEqualTo("active");
	}

	@Test
	void aResumedDestinationIsJudgedOnlyOnTheCallsAfterItsResume() {
		this.receiver.answer(() -> 503);
		journeyCalling(20);
		this.runner.runDue();
		String id = destination().get("id").asString();
		assertThat(destination().get("state").asString()).isEqualTo("paused");
		this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"active\"}").hasStatus(200);

		later(Duration.ofMinutes(2));
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(40);
		assertThat(destination().get("state").asString()).isEqualTo("paused");
		assertThat(destination().get("failures_last_hour").asLong()).isEqualTo(40);
	}

	@Test
	void aLimitedDestinationIsCalledNoFasterThanItsBucketGives() {
		String journey = journeyCalling(30);
		String id = destination().get("id").asString();
		assertThat(this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"max_per_second\": 50}")
			.hasStatus(200)
			.json()
			.get("max_per_second")
			.asInt()).isEqualTo(50);

		this.runner.runDue();
		assertThat(this.receiver.calls()).as("a full bucket: a tenth of a second's worth").hasSize(5);
		assertThat(this.runner.heldBack()).isTrue();
		assertThat(enrollments(journey).stream().filter(e -> e.get("attempts").asInt() == 0))
			.as("the others wait uncharged")
			.hasSize(25);

		this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"max_per_second\": null}").hasStatus(200);
		this.runner.runDue();
		assertThat(this.receiver.calls()).hasSize(30);
		assertThat(this.runner.heldBack()).isFalse();
	}

	@Test
	void badChangesAreRefusedAndChangeNothing() {
		journeyCalling(1);
		String id = destination().get("id").asString();
		this.http
			.patch("/v1/destinations/" + id, this.tenant.token(), "{\"state\": \"off\", \"max_per_second\": \"9\"}")
			.is(422, """
					{"error": {"max_per_second": ["must be an integer"], "state": ["is not included in the list"]}}""");
		this.http.patch("/v1/destinations/" + id, this.tenant.token(), "{\"max_per_second\": 0}").is(422, """
				{"error": {"max_per_second": ["must be between 1 and 100000"]}}""");
		this.http.patch("/v1/destinations/" + id, newTenant().token(), "{\"state\": \"paused\"}").hasStatus(404);
		this.http.patch("/v1/destinations/not-an-id", this.tenant.token(), "{\"max_per_second\": 0}").hasStatus(404);
		this.http.get("/v1/destinations/" + id, newTenant().token()).hasStatus(404);
		JsonNode unchanged = destination();
		assertThat(unchanged.get("state").asString()).isEqualTo("active");
		assertThat(unchanged.get("max_per_second").isNull()).isTrue();
	}

}
