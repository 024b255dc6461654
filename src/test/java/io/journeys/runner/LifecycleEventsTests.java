package io.journeys.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.journeys.event.EventEffects;
import io.journeys.lifecycle.LifecycleOutbox;
import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.WebhookReceiver;
import io.journeys.support.WebhookReceiver.Call;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifecycle events end to end: the changes through the API and the runner's passes, the
 * outbox they write in their own transactions, and the sender's signed calls to a real
 * receiver, with retries, the delivery log and replay (the clock is moved, nothing
 * sleeps).
 */
class LifecycleEventsTests extends ApiTests {

	@Autowired
	private LifecycleSender sender;

	@Autowired
	private StepRunner runner;

	@Autowired
	private LifecycleOutbox outbox;

	@Autowired
	private EnteredBlocks blocks;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private EventEffects effects;

	/** Where the subscriptions point. */
	private WebhookReceiver subscriber;

	/** Where the journeys' webhook steps point. */
	private WebhookReceiver steps;

	private Tenant tenant;

	@BeforeEach
	void setUp() throws Exception {
		this.subscriber = new WebhookReceiver();
		this.steps = new WebhookReceiver();
		this.tenant = newTenant();
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
	}

	@AfterEach
	void tearDown() {
		this.subscriber.close();
		this.steps.close();
	}

	/** A subscription to the receiver; its secret goes to the receiver. */
	private String subscribe(String types, String journeyIds) {
		Response created = this.http
			.post("/v1/subscriptions", this.tenant.token(),
					"{\"url\": \"" + this.subscriber.url() + "\", \"event_types\": [" + types + "]"
							+ (journeyIds.isEmpty() ? "" : ", \"journey_ids\": [" + journeyIds + "]") + "}")
			.hasStatus(201);
		this.subscriber.secret(created.text("secret"));
		return created.text("id");
	}

	private void enroll(String journey, String... emails) {
		contacts(this.tenant, "active", emails);
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}")
			.hasStatus(200);
	}

	private String journeyWithWebhook() {
		Response created = this.http
			.post("/v1/journeys", this.tenant.token(),
					"{\"name\": \"Calls\", \"steps\": [{\"type\": \"webhook\", " + "\"url\": \"" + this.steps.url()
							+ "\"}]}")
			.hasStatus(201);
		this.steps.secret(created.text("webhook_secret"));
		String id = created.text("id");
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		return id;
	}

	/** The company's due deliveries: other tests' companies may have some due too. */
	private int send() {
		return this.sender.sendDue(UUID.fromString(this.tenant.companyId()));
	}

	private List<JsonNode> bodies() {
		return this.subscriber.calls().stream().map(call -> Response.JSON.readTree(call.body())).toList();
	}

	private List<JsonNode> deliveries(String subscription) {
		return walk("/v1/subscriptions/" + subscription + "/deliveries?limit=100", this.tenant.token());
	}

	/**
	 * The company's deliveries, once its {@code enrollment.entered} blocks are expanded
	 * as the sender's next pass would.
	 */
	private long outboxRows() {
		this.transactions.execute(status -> this.blocks.expandEntered(UUID.fromString(this.tenant.companyId()),
				this.clock.instant(), 100));
		return this.jdbc.sql("select count(*) from lifecycle_deliveries where company_id = :company")
			.param("company", UUID.fromString(this.tenant.companyId()))
			.query(Long.class)
			.single();
	}

	private double deliveriesCounted(String outcome) {
		return this.registry.get("journeys.lifecycle.deliveries").tag("outcome", outcome).counter().count();
	}

	@Test
	void enrollsByEmailAndByListAreDeliveredSignedOncePerEnrollment() {
		String journey = journey(this.tenant, "on");
		String subscription = subscribe("\"enrollment.entered\"", "");
		double deliveredBefore = deliveriesCounted("delivered");

		enroll(journey, "a@x.com", "b@x.com");
		contacts(this.tenant, "active", "c@x.com", "d@x.com");
		list(this.tenant, "team@lists.com", "c@x.com", "d@x.com", "a@x.com");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"list_email_addresses\": [\"team@lists.com\"]}")
			.hasStatus(200);
		assertThat(send()).isEqualTo(4);
		assertThat(send()).isZero();

		List<Call> calls = this.subscriber.calls();
		assertThat(calls).hasSize(4).allMatch(Call::signatureValid);
		assertThat(calls.stream().map(Call::id).collect(Collectors.toSet())).hasSize(4)
			.allMatch(id -> id.startsWith("msg_"));
		Map<String, JsonNode> byEmail = bodies().stream()
			.collect(Collectors.toMap(body -> body.get("data").get("contact").get("email_address").asString(),
					Function.identity()));
		assertThat(byEmail.keySet()).containsExactlyInAnyOrder("a@x.com", "b@x.com", "c@x.com", "d@x.com");
		JsonNode a = byEmail.get("a@x.com");
		List<JsonNode> enrollments = walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token());
		JsonNode enrollmentOfA = enrollments.stream()
			.filter(row -> row.get("email_address").asString().equals("a@x.com"))
			.findFirst()
			.orElseThrow();
		assertThat(a).isEqualTo(Response.JSON.readTree("""
				{"type": "enrollment.entered", "timestamp": "2026-06-01T09:00:00Z",
				 "data": {"journey": {"id": "%s"}, "enrollment": {"id": "%s"},
				          "contact": {"id": "%s", "email_address": "a@x.com"}}}
				""".formatted(journey, enrollmentOfA.get("id").asString(),
				enrollmentOfA.get("contact_id").asString())));

		List<JsonNode> log = deliveries(subscription);
		assertThat(log).hasSize(4).allSatisfy(row -> {
			assertThat(row.get("type").asString()).isEqualTo("enrollment.entered");
			assertThat(row.get("status").asString()).isEqualTo("delivered");
			assertThat(row.get("attempts").asInt()).isEqualTo(1);
			assertThat(row.get("last_status").asInt()).isEqualTo(200);
			assertThat(row.get("last_error").isNull()).isTrue();
		});
		assertThat(log.stream().map(row -> row.get("webhook_id").asString()).collect(Collectors.toSet()))
			.isEqualTo(calls.stream().map(Call::id).collect(Collectors.toSet()));
		assertThat(deliveriesCounted("delivered") - deliveredBefore).isEqualTo(4);
	}

	@Test
	void thePassOverEveryCompanyFindsTheDueDeliveries() {
		String journey = journey(this.tenant, "on");
		String subscription = subscribe("\"enrollment.entered\"", "");
		enroll(journey, "a@x.com", "b@x.com");
		assertThat(this.sender.sendDue()).as("other tests' companies may have some due too").isGreaterThanOrEqualTo(2);
		assertThat(deliveries(subscription)).extracting(row -> row.get("status").asString())
			.containsExactly("delivered", "delivered");
		assertThat(this.subscriber.calls()).hasSize(2).allMatch(Call::signatureValid);
	}

	@Test
	void theDeliveryLogIsNewestFirstAcrossPagesAndReplayTakesThoseSince() {
		String journey = journey(this.tenant, "on");
		String subscription = subscribe("\"enrollment.entered\"", "");
		enroll(journey, "a@x.com");
		this.clock.advance(Duration.ofSeconds(1));
		enroll(journey, "b@x.com", "c@x.com");
		this.clock.advance(Duration.ofMillis(1));
		enroll(journey, "d@x.com");
		List<JsonNode> log = walk("/v1/subscriptions/" + subscription + "/deliveries?limit=1", this.tenant.token());
		assertThat(log).extracting(row -> row.get("occurred_at").asString())
			.containsExactly("2026-06-01T09:00:01.001Z", "2026-06-01T09:00:01Z", "2026-06-01T09:00:01Z",
					"2026-06-01T09:00:00Z");
		assertThat(log.stream().map(row -> row.get("id").asString()).distinct()).hasSize(4);
		assertThat(send()).isEqualTo(4);
		this.http
			.post("/v1/subscriptions/" + subscription + "/replay", this.tenant.token(),
					"{\"since\": \"2026-06-01T09:00:01.000001Z\"}")
			.is(200, "{\"replayed\": 1}");
		this.http
			.post("/v1/subscriptions/" + subscription + "/replay", this.tenant.token(),
					"{\"since\": \"2026-06-01T11:00:01+02:00\"}")
			.is(200, "{\"replayed\": 3}");
	}

	@Test
	void aCompanyWhoseDeliveriesCannotBeSentHoldsBackNoOther() {
		UUID broken = UUID.fromString(this.tenant.companyId());
		subscribe("\"enrollment.entered\"", "");
		enroll(journey(this.tenant, "on"), "a@x.com");
		// a secret that does not decode
		this.jdbc.sql("update subscriptions set secret = 'whsec_!!' where company_id = :company")
			.param("company", broken)
			.update();
		this.tenant = newTenant();
		String subscription = subscribe("\"enrollment.entered\"", "");
		enroll(journey(this.tenant, "on"), "b@x.com");
		this.sender.sendDue();
		assertThat(deliveries(subscription)).extracting(row -> row.get("status").asString())
			.containsExactly("delivered");
		assertThat(this.jdbc.sql("select status from lifecycle_deliveries where company_id = :company")
			.param("company", broken)
			.query(String.class)
			.list()).containsExactly("pending");
	}

	/**
	 * An enroll's block that cannot be expanded (here, made unreadable by hand) holds
	 * back none of the company's other deliveries, and stays to be tried again.
	 */
	@Test
	void aBlockThatCannotBeExpandedHoldsBackNoOtherDelivery() {
		UUID company = UUID.fromString(this.tenant.companyId());
		subscribe("\"enrollment.entered\"", "");
		String broken = journey(this.tenant, "on");
		enroll(broken, "a@x.com");
		// first in line: the blocks after it are expanded all the same
		this.jdbc.sql(
				"update lifecycle_entered_blocks set event_prefix = 'not hex', id = :first where company_id = :company")
			.param("company", company)
			.param("first", new UUID(0, 0))
			.update();
		enroll(journey(this.tenant, "on"), "b@x.com");
		assertThat(send()).as("the other enroll's event").isEqualTo(1);
		assertThat(this.subscriber.calls()).hasSize(1);
		assertThat(this.jdbc.sql("select count(*) from lifecycle_entered_blocks where company_id = :company")
			.param("company", company)
			.query(Long.class)
			.single()).as("the broken block, left to be tried again").isEqualTo(1);
		assertThat(this.jdbc.sql("select expand_after from lifecycle_entered_blocks where company_id = :company")
			.param("company", company)
			.query((rs, row) -> rs.getTimestamp(1).toInstant())
			.single()).as("after a wait").isEqualTo(this.clock.instant().plus(LifecycleSender.FAILED_BLOCK_WAIT));
	}

	/**
	 * A change that read the subscription before its delete and committed after it leaves
	 * a delivery with no subscription: the sender drops it rather than find the company
	 * due every pass; the deliveries of a live subscription stay.
	 */
	@Test
	void deliveriesLeftByADeletedSubscriptionAreDropped() {
		UUID company = UUID.fromString(this.tenant.companyId());
		String subscription = subscribe("\"enrollment.entered\"", "");
		String journey = journey(this.tenant, "on");
		enroll(journey, "a@x.com");
		this.jdbc.sql("""
				insert into lifecycle_deliveries (company_id, id, subscription_id, type, occurred_at, journey_id,
												  due_at)
				values (:company, gen_random_uuid(), gen_random_uuid(), 'enrollment.entered', :now, :journey, :now)
				""")
			.param("company", company)
			.param("journey", UUID.fromString(journey))
			.param("now", java.sql.Timestamp.from(this.clock.instant()))
			.update();
		assertThat(outboxRows()).isEqualTo(2);
		assertThat(send()).as("the live subscription's delivery").isEqualTo(1);
		assertThat(outboxRows()).as("the orphan waits until a pass claims nothing").isEqualTo(2);
		assertThat(send()).isZero();
		assertThat(outboxRows()).isEqualTo(1);
		assertThat(deliveries(subscription)).extracting(row -> row.get("status").asString())
			.containsExactly("delivered");
	}

	@Test
	void onlyTheSubscribedJourneysAndTypesAreWritten() {
		String watched = journey(this.tenant, "on");
		String other = journey(this.tenant, "on");
		subscribe("\"enrollment.entered\"", "\"" + watched + "\"");
		subscribe("\"enrollment.completed\"", "");
		enroll(other, "a@x.com");
		assertThat(outboxRows()).isZero();
		enroll(watched, "a@x.com");
		assertThat(outboxRows()).isEqualTo(1);
	}

	@Test
	void aCompanyWithoutSubscriptionsWritesNothingAndNoOtherCompanyGetsItsEvents() {
		Tenant subscribed = this.tenant;
		subscribe("\"enrollment.entered\"", "");
		this.tenant = newTenant();
		String journey = journey(this.tenant, "on");
		enroll(journey, "a@x.com");
		assertThat(outboxRows()).isZero();
		this.tenant = subscribed;
		assertThat(outboxRows()).isZero();
	}

	@Test
	void aDryRunAndARefusedEnrollWriteNoEvents() {
		String journey = journey(this.tenant, "on");
		subscribe("\"enrollment.entered\"", "");
		contacts(this.tenant, "active", "a@x.com");
		this.http
			.post("/v1/journeys/" + journey + "/enroll?dry_run=true", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		list(this.tenant, "team@lists.com", "a@x.com");
		this.http
			.post("/v1/journeys/" + journey + "/enroll?dry_run=true", this.tenant.token(),
					"{\"list_email_addresses\": [\"team@lists.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"list_email_addresses\": [\"team@lists.com\", \"none@lists.com\"]}")
			.hasStatus(422);
		assertThat(outboxRows()).isZero();
	}

	@Test
	void failedCallsAreRetriedWithBackoffUntilTheLastAttemptThenReplayedWithTheSameId() {
		String journey = journey(this.tenant, "on");
		String subscription = subscribe("\"enrollment.entered\"", "");
		this.subscriber.answer(() -> 503);
		enroll(journey, "a@x.com");

		assertThat(send()).isEqualTo(1);
		JsonNode row = deliveries(subscription).get(0);
		assertThat(row.get("status").asString()).isEqualTo("pending");
		assertThat(row.get("attempts").asInt()).isEqualTo(1);
		assertThat(row.get("last_status").asInt()).isEqualTo(503);
		assertThat(row.get("last_error").asString()).contains("503");
		assertThat(send()).as("not due again before its backoff").isZero();
		for (int attempt = 2; attempt <= 8; attempt++) {
			this.clock.advance(Duration.ofDays(2));
			assertThat(send()).as("attempt %d", attempt).isEqualTo(1);
		}
		this.clock.advance(Duration.ofDays(2));
		assertThat(send()).isZero();
		row = deliveries(subscription).get(0);
		assertThat(row.get("status").asString()).isEqualTo("failed");
		assertThat(row.get("attempts").asInt()).isEqualTo(8);
		assertThat(this.subscriber.calls().stream().map(Call::id).distinct()).hasSize(1);

		this.subscriber.answer(() -> 204);
		this.http
			.post("/v1/subscriptions/" + subscription + "/replay", this.tenant.token(),
					"{\"since\": \"2026-06-01T10:00:00Z\"}")
			.is(200, "{\"replayed\": 0}");
		this.http
			.post("/v1/subscriptions/" + subscription + "/replay", this.tenant.token(),
					"{\"since\": \"2026-06-01T09:00:00+00:00\"}")
			.is(200, "{\"replayed\": 1}");
		assertThat(send()).isEqualTo(1);
		row = deliveries(subscription).get(0);
		assertThat(row.get("status").asString()).isEqualTo("delivered");
		assertThat(row.get("attempts").asInt()).isEqualTo(1);
		assertThat(this.subscriber.calls()).hasSize(9);
		assertThat(this.subscriber.calls().stream().map(Call::id).distinct()).hasSize(1);
	}

	@Test
	void theRunnerAnnouncesFailedCallsExitsAndCompletions() {
		String journey = journeyWithWebhook();
		subscribe("\"enrollment.step_failed\", \"enrollment.exited\", \"enrollment.completed\"", "");
		enroll(journey, "ok@x.com", "down@x.com");
		UUID company = UUID.fromString(this.tenant.companyId());
		RunnerRepository.DueJourney due = new RunnerRepository.DueJourney(company, UUID.fromString(journey));
		this.steps.answer(() -> 500);
		this.runner.runJourney(due);
		send();
		assertThat(bodies()).hasSize(2).allSatisfy(body -> {
			assertThat(body.get("type").asString()).isEqualTo("enrollment.step_failed");
			assertThat(body.get("data").get("attempt").asInt()).isEqualTo(1);
			assertThat(body.get("data").get("status").asInt()).isEqualTo(500);
			assertThat(body.get("data").get("step").get("id").asString()).isNotEmpty();
		});

		// one contact's calls succeed from now on, the other's keep failing
		this.steps.answer(() -> 200);
		String downContact = this.steps.calls()
			.stream()
			.filter(call -> call.body().contains("down@x.com"))
			.findFirst()
			.orElseThrow()
			.body();
		assertThat(downContact).isNotEmpty();
		this.steps.answer(() -> 500);
		for (int attempt = 2; attempt <= 8; attempt++) {
			this.clock.advance(Duration.ofDays(2));
			this.runner.runJourney(due);
		}
		send();
		Map<String, Long> types = bodies().stream()
			.collect(Collectors.groupingBy(body -> body.get("type").asString(), Collectors.counting()));
		assertThat(types).isEqualTo(Map.of("enrollment.step_failed", 16L, "enrollment.exited", 2L));
		JsonNode exited = bodies().stream()
			.filter(body -> body.get("type").asString().equals("enrollment.exited"))
			.findFirst()
			.orElseThrow();
		assertThat(exited.get("data").get("exit_reason").asString()).isEqualTo("action_failed");

		this.steps.answer(() -> 200);
		enroll(journey, "later@x.com");
		this.runner.runJourney(due);
		send();
		JsonNode completed = bodies().get(bodies().size() - 1);
		assertThat(completed.get("type").asString()).isEqualTo("enrollment.completed");
		assertThat(completed.get("data").get("contact").get("email_address").asString()).isEqualTo("later@x.com");
		assertThat(this.subscriber.calls()).allMatch(Call::signatureValid);
	}

	@Test
	void completionsByAMoveAndExitsByAnArchiveAreAnnounced() {
		Response created = this.http
			.post("/v1/journeys", this.tenant.token(),
					"{\"name\": \"Waits\", \"steps\": [{\"type\": \"wait\", \"duration\": \"PT1H\"}]}")
			.hasStatus(201);
		String journey = created.text("id");
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		subscribe("\"enrollment.exited\", \"enrollment.completed\"", "\"" + journey + "\"");
		enroll(journey, "a@x.com", "b@x.com");
		RunnerRepository.DueJourney due = new RunnerRepository.DueJourney(UUID.fromString(this.tenant.companyId()),
				UUID.fromString(journey));
		this.runner.runJourney(due);
		this.clock.advance(Duration.ofHours(1));
		this.runner.runJourney(due);
		enroll(journey, "c@x.com");
		this.runner.runJourney(due);
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"archived\"}").hasStatus(200);
		send();
		Map<String, String> byEmail = bodies().stream()
			.collect(Collectors.toMap(body -> body.get("data").get("contact").get("email_address").asString(),
					body -> body.get("type").asString() + " " + body.get("data").path("exit_reason").asString("")));
		assertThat(byEmail).isEqualTo(Map.of("a@x.com", "enrollment.completed ", "b@x.com", "enrollment.completed ",
				"c@x.com", "enrollment.exited journey_archived"));
	}

	@Test
	void completeUnenrollImportGoalsAndTriggersAreAnnounced() {
		String journey = journey(this.tenant, "on");
		this.http
			.patch("/v1/journeys/" + journey, this.tenant.token(),
					"{\"trigger\": {\"event_name\": \"signed_up\"}, \"goal\": {\"event_name\": \"activated\"}}")
			.hasStatus(200);
		subscribe("\"enrollment.entered\", \"enrollment.completed\", \"enrollment.exited\"", "");
		enroll(journey, "done@x.com", "gone@x.com", "goal@x.com");
		contacts(this.tenant, "active", "trigger@x.com", "imported@x.com");
		this.http
			.post("/v1/journeys/" + journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"done@x.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"gone@x.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/enrollments/import", this.tenant.token(),
					"{\"enrollments\": [{\"email_address\": \"imported@x.com\", "
							+ "\"enrolled_at\": \"2026-05-01T00:00:00Z\"}]}")
			.hasStatus(200);
		this.http
			.post("/v1/events", this.tenant.token(),
					"{\"events\": [{\"name\": \"activated\", \"contact_email_address\": \"goal@x.com\"}, "
							+ "{\"name\": \"signed_up\", \"contact_email_address\": \"trigger@x.com\"}]}")
			.hasStatus(200);
		this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
		send();
		Map<String, List<String>> byEmail = bodies().stream()
			.collect(Collectors
				.groupingBy(body -> body.get("data").get("contact").get("email_address").asString(), Collectors.mapping(
						body -> body.get("type").asString() + " " + body.get("data").path("exit_reason").asString(""),
						Collectors.toList())));
		assertThat(byEmail).containsOnlyKeys("done@x.com", "gone@x.com", "goal@x.com", "trigger@x.com",
				"imported@x.com");
		assertThat(byEmail.get("done@x.com")).containsExactlyInAnyOrder("enrollment.entered ", "enrollment.completed ");
		assertThat(byEmail.get("gone@x.com")).containsExactlyInAnyOrder("enrollment.entered ", "enrollment.exited ");
		assertThat(byEmail.get("goal@x.com")).containsExactlyInAnyOrder("enrollment.entered ",
				"enrollment.exited goal_reached");
		assertThat(byEmail.get("trigger@x.com")).containsExactly("enrollment.entered ");
		assertThat(byEmail.get("imported@x.com")).containsExactly("enrollment.entered ");
	}

	@Test
	void destinationEventsGoToEverySubscriptionWithTheTypeOnlyWhenTheirTransactionCommits() {
		String journey = journey(this.tenant, "draft");
		String subscription = subscribe("\"destination.paused\", \"destination.resumed\"", "\"" + journey + "\"");
		UUID company = UUID.fromString(this.tenant.companyId());
		UUID destination = UUID.randomUUID();
		this.transactions.executeWithoutResult(status -> {
			this.outbox.destinationPaused(company, destination, "https://api.example.com", "failing",
					this.clock.instant());
			status.setRollbackOnly();
		});
		assertThat(outboxRows()).isZero();
		this.transactions.executeWithoutResult(status -> {
			this.outbox.destinationPaused(company, destination, "https://api.example.com", "failing",
					this.clock.instant());
			this.outbox.destinationResumed(company, destination, "https://api.example.com", this.clock.instant());
		});
		assertThat(send()).isEqualTo(2);
		assertThat(bodies()).containsExactlyInAnyOrder(Response.JSON.readTree("""
				{"type": "destination.paused", "timestamp": "2026-06-01T09:00:00Z",
				 "data": {"destination": {"id": "%s", "origin": "https://api.example.com", "state": "paused",
				                          "paused_reason": "failing"}}}
				""".formatted(destination)), Response.JSON.readTree("""
				{"type": "destination.resumed", "timestamp": "2026-06-01T09:00:00Z",
				 "data": {"destination": {"id": "%s", "origin": "https://api.example.com", "state": "active",
				                          "paused_reason": null}}}
				""".formatted(destination)));
		assertThat(deliveries(subscription)).hasSize(2);
	}

}
