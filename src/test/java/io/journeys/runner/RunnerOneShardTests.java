package io.journeys.runner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.event.EventEffects;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.support.ApiTests;
import io.journeys.support.CitusRouting;
import io.journeys.support.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner's work for one journey (its waits, claims, calls and their records) and the
 * moves a step edit or an archive makes run on the company's shard, as the requests of
 * {@code io.journeys.persistence.OneShardPerRequestTests} do, and are checked the same
 * way: any statement Citus fans out fails, and any it does not send whole to one shard is
 * reported in the log. Only the search for journeys with due work reads every shard; it
 * is not run here.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { CitusRouting.SESSIONS, CitusRouting.JDBC_DEBUG })
class RunnerOneShardTests extends ApiTests {

	@Autowired
	private StepRunner runner;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private EventEffects effects;

	@Autowired
	private LifecycleSender sender;

	@Autowired
	private io.journeys.lifecycle.LifecycleOutbox outbox;

	@Autowired
	private org.springframework.transaction.support.TransactionTemplate transactions;

	@Test
	void theRunnersStatementsForOneJourneyStayOnItsShard(CapturedOutput output) throws Exception {
		CitusRouting.startWatching(this.jdbc);
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		String token = tenant.token();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			// exactly one 500: the batch's two calls arrive together, so the count of
			// calls
			// received is no way to pick one (both may be in before either is answered)
			java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
			receiver.answer(() -> answered.incrementAndGet() == 1 ? 500 : 200);
			String hook = "{\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\"}";
			String journey = this.http
				.post("/v1/journeys", token,
						"{\"name\": \"J\", \"steps\": [{\"type\": \"wait\", \"duration\": \"PT1M\"}, " + hook + ", "
								+ hook + "]}")
				.hasStatus(201)
				.text("id");
			this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
			// the lifecycle events of every change below, and their deliveries
			this.http
				.post("/v1/subscriptions", token,
						"{\"url\": \"" + receiver.url() + "\", \"event_types\": "
								+ "[\"enrollment.entered\", \"enrollment.completed\", \"enrollment.exited\", "
								+ "\"enrollment.step_failed\", \"destination.paused\", \"destination.resumed\"]}")
				.hasStatus(201);
			contacts(tenant, "active", "a@x.com", "b@x.com");
			this.http
				.post("/v1/journeys/" + journey + "/enroll", token,
						"{\"contact_email_addresses\": [\"a@x.com\", \"b@x.com\"]}")
				.hasStatus(200);
			DueJourney due = new DueJourney(UUID.fromString(tenant.companyId()), UUID.fromString(journey));
			this.runner.runJourney(due);
			this.clock.advance(Duration.ofMinutes(1));
			this.runner.runJourney(due);
			this.clock.advance(Duration.ofMinutes(1));
			this.runner.runJourney(due);
			assertThat(receiver.calls()).as("two steps for two contacts, one call retried").hasSize(5);
			UUID company = UUID.fromString(tenant.companyId());
			this.transactions.executeWithoutResult(status -> {
				this.outbox.destinationPaused(company, UUID.randomUUID(), "https://x.com", "failing",
						this.clock.instant());
				this.outbox.destinationResumed(company, UUID.randomUUID(), "https://x.com", this.clock.instant());
			});
			assertThat(this.sender.sendDue(company)).as("2 entered, 1 step failed, 2 completed, 2 destination")
				.isEqualTo(7);

			this.http.get("/v1/journeys/" + journey, token).hasStatus(200);
			String enrollment = this.http.get("/v1/journeys/" + journey + "/enrollments", token)
				.json()
				.get("data")
				.get(0)
				.get("id")
				.asString();
			this.http.get("/v1/journeys/" + journey + "/enrollments/" + enrollment, token).hasStatus(200);
			this.http.post("/v1/journeys/" + journey + "/enrollments/" + enrollment + "/retry", token, null)
				.hasStatus(422);
			this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"off\"}").hasStatus(200);
			String steps = this.http.get("/v1/journeys/" + journey, token).json().get("steps").toString();
			String kept = List.of(steps.split("\"id\":\"")).get(1).split("\"")[0];
			this.http
				.patch("/v1/journeys/" + journey, token,
						"{\"steps\": [{\"id\": \"" + kept + "\", \"type\": \"wait\", \"duration\": \"PT2M\"}]}")
				.hasStatus(200);
			this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"archived\"}").hasStatus(200);
		}
		CitusRouting.assertEveryStatementRouted(output);
	}

	@Test
	void destinationsTheirLimitsAndTheirBreakerStayOnTheCompanysShard(CapturedOutput output) throws Exception {
		CitusRouting.startWatching(this.jdbc);
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		String token = tenant.token();
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			receiver.answer(() -> 503);
			String journey = this.http
				.post("/v1/journeys", token,
						"{\"name\": \"J\", \"steps\": [{\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\"}]}")
				.hasStatus(201)
				.text("id");
			this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
			String[] emails = java.util.stream.IntStream.range(0, 20)
				.mapToObj(i -> "d" + i + "@x.com")
				.toArray(String[]::new);
			contacts(tenant, "active", emails);
			this.http
				.post("/v1/journeys/" + journey + "/enroll", token,
						"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}")
				.hasStatus(200);
			DueJourney due = new DueJourney(UUID.fromString(tenant.companyId()), UUID.fromString(journey));
			this.runner.runJourney(due);
			String destination = this.http.get("/v1/destinations", token)
				.json()
				.get("data")
				.get(0)
				.get("id")
				.asString();
			assertThat(this.http.get("/v1/destinations/" + destination, token).json().get("paused_reason").asString())
				.isEqualTo("failing");
			receiver.answer(() -> 200);
			this.clock.advance(Duration.ofMinutes(1));
			this.runner.runJourney(due);
			this.http.patch("/v1/destinations/" + destination, token, "{\"max_per_second\": 50}").hasStatus(200);
			this.runner.runJourney(due);
			assertThat(receiver.calls()).as("20 failed, the probe, then a bucket's 5").hasSize(26);
			this.http.patch("/v1/destinations/" + destination, token, "{\"state\": \"paused\"}").hasStatus(200);
			this.runner.runJourney(due);
			this.http.get("/v1/journeys/" + journey, token).hasStatus(200);
			this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"off\"}").hasStatus(200);
		}
		CitusRouting.assertEveryStatementRouted(output);
	}

	@Test
	void decisionsAndLocalTimesStayOnTheCompanysShard(CapturedOutput output) {
		CitusRouting.startWatching(this.jdbc);
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		String token = tenant.token();
		this.http.post("/v1/contacts/bulk", token, """
				{"contacts": [{"email_address": "a@x.com", "attributes": {"plan": "pro"}, "time_zone": "Asia/Tokyo"},
				              {"email_address": "b@x.com", "attributes": {"plan": "free"}}]}
				""").hasStatus(200);
		this.http.post("/v1/events", token, """
				{"events": [{"name": "visited", "contact_email_address": "b@x.com", "properties": {"page": "pricing"}}]}
				""").hasStatus(200);
		String journey = this.http
			.post("/v1/journeys", token,
					"""
							{"name": "Decides", "time_zone": "Europe/Paris", "steps": [
							  {"id": "who", "type": "branch", "cases": [
							    {"when": {"attribute": "plan", "equals": "pro"}, "next": "ab"},
							    {"when": {"event": "visited", "within": "P1D",
							              "where": {"all": [{"property": "page", "equals": "pricing"},
							                                {"not": {"event": "bought", "within": "P7D"}}]}}, "next": "morning"}],
							   "otherwise": "end"},
							  {"id": "ab", "type": "split", "paths": [{"weight": 1, "next": "morning"}, {"weight": 1, "next": "morning"}]},
							  {"id": "morning", "type": "wait_until", "time": "09:00", "spread": "PT15M"}]}
							""")
			.hasStatus(201)
			.text("id");
		this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/enroll", token,
					"{\"contact_email_addresses\": [\"a@x.com\", \"b@x.com\"]}")
			.hasStatus(200);
		DueJourney due = new DueJourney(UUID.fromString(tenant.companyId()), UUID.fromString(journey));
		this.runner.runJourney(due);
		JsonNode rows = this.http.get("/v1/journeys/" + journey + "/enrollments", token).hasStatus(200).json();
		assertThat(rows.get("data").valueStream().map(row -> row.get("step_id").asString())).containsOnly("morning");
		assertThat(rows.get("data").valueStream().map(row -> row.get("due_at").asString()))
			.noneMatch("2026-06-01T09:00:00Z"::equals);
		String contact = rows.get("data").get(0).get("contact_id").asString();
		this.http.patch("/v1/contacts/" + contact, token, "{\"time_zone\": \"America/New_York\"}").hasStatus(200);
		this.runner.runJourney(due);
		this.http.get("/v1/journeys/" + journey, token).hasStatus(200);
		this.http.get("/v1/journeys/" + journey + "/enrollments/" + rows.get("data").get(0).get("id").asString(), token)
			.hasStatus(200);
		this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"off\"}").hasStatus(200);
		this.http
			.patch("/v1/journeys/" + journey, token,
					"{\"steps\": [{\"id\": \"later\", \"type\": \"wait\", \"duration\": \"PT1M\"}]}")
			.hasStatus(200);
		CitusRouting.assertEveryStatementRouted(output);
	}

	@Test
	void eventsAndWhatTheyDoStayOnTheCompanysShard(CapturedOutput output) {
		CitusRouting.startWatching(this.jdbc);
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		String token = tenant.token();
		UUID company = UUID.fromString(tenant.companyId());
		contacts(tenant, "active", "a@x.com", "b@x.com");
		String journey = this.http.post("/v1/journeys", token, """
				{"name": "Reacts", "trigger": {"event_name": "signed_up",
				   "where": {"any": [{"property": "plan", "equals": "pro"}, {"event": "visited", "within": "P1D"}]}},
				 "goal": {"event_name": "activated"},
				 "steps": [{"id": "hold", "type": "wait_for_event", "event_name": "logged_in", "timeout": "PT1H",
				            "next": "end", "timeout_next": "pause"},
				           {"id": "pause", "type": "wait", "duration": "PT1M"}]}
				""").hasStatus(201).text("id");
		this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
		this.http.post("/v1/events", token, """
				{"events": [{"id": "v1", "name": "visited", "contact_email_address": "b@x.com",
				             "occurred_at": "2026-06-01T08:00:00Z"},
				            {"id": "s1", "name": "signed_up", "contact_email_address": "a@x.com",
				             "properties": {"plan": "pro"}},
				            {"id": "s2", "name": "signed_up", "contact_email_address": "b@x.com"},
				            {"name": "signed_up", "contact_email_address": "nobody@x.com"}]}
				""").hasStatus(200);
		this.effects.applyPending(company);
		DueJourney due = new DueJourney(company, UUID.fromString(journey));
		this.runner.runJourney(due);
		this.clock.advance(Duration.ofMinutes(1));
		this.http
			.post("/v1/events", token,
					"{\"events\": [{\"name\": \"logged_in\", \"contact_email_address\": \"a@x.com\"}]}")
			.hasStatus(200);
		this.effects.applyPending(company);
		this.runner.runJourney(due);
		this.clock.advance(Duration.ofHours(1));
		this.runner.runJourney(due);
		this.http
			.post("/v1/events", token,
					"{\"events\": [{\"name\": \"activated\", \"contact_email_address\": \"b@x.com\"}]}")
			.hasStatus(200);
		this.effects.applyPending(company);
		assertThat(this.http.get("/v1/journeys/" + journey, token).json().get("stats").get("goal_reached").asInt())
			.isEqualTo(1);
		String contact = this.http.get("/v1/contacts?email_address=a@x.com", token)
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		assertThat(walk("/v1/contacts/" + contact + "/events?limit=1", token)).hasSize(2);
		for (var enrollment : walk("/v1/journeys/" + journey + "/enrollments", token)) {
			this.http.get("/v1/journeys/" + journey + "/enrollments/" + enrollment.get("id").asString(), token)
				.hasStatus(200);
		}
		this.http.patch("/v1/journeys/" + journey, token, "{\"goal\": null}").hasStatus(200);
		this.http.delete("/v1/contacts/" + contact, token).hasStatus(204);
		CitusRouting.assertEveryStatementRouted(output);
	}

}
