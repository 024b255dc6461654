package io.journeys.enrollment;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/journeys/{id}/enrollments/retry} (journeys.md section 6, Replay) over
 * real HTTP. The failures are written with SQL (the runner's own failing is tested in
 * {@code StepRunnerTests}), so that each has the step and exit time a filter needs.
 */
class BulkRetryTests extends ApiTests {

	private static final String NOW = "2026-06-10T12:00:00Z";

	private static final String JOURNEY_NOT_FOUND = "{\"error\": \"Journey not found\"}";

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private EnrollmentRepository repository;

	private Tenant tenant;

	private String journey;

	@BeforeEach
	void setUp() {
		this.clock.set(Instant.parse(NOW));
		this.tenant = newTenant();
		this.journey = journeyWithSteps(this.tenant);
	}

	/** Two webhook steps, {@code first} and {@code second}, switched on. */
	private String journeyWithSteps(Tenant tenant) {
		String id = this.http.post("/v1/journeys", tenant.token(), """
				{"name": "Calls", "steps": [{"id": "first", "type": "webhook", "url": "https://example.com/a"},
				 {"id": "second", "type": "webhook", "url": "https://example.com/b"}]}
				""").hasStatus(201).text("id");
		this.http.patch("/v1/journeys/" + id, tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		return id;
	}

	private Response retry(String body) {
		return retry(this.journey, body);
	}

	private Response retry(String journeyId, String body) {
		return this.http.post("/v1/journeys/" + journeyId + "/enrollments/retry", this.tenant.token(), body);
	}

	/** Enrolls the contact and ends its enrollment as the runner would have. */
	private String ended(String email, String step, String reason, String exitedAt) {
		contacts(this.tenant, "active", email);
		this.http
			.post("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"" + email + "\"]}")
			.hasStatus(200);
		UUID id = this.jdbc.sql("""
				update enrollments e
				set status = 'exited', exit_reason = :reason, exited_at = :exitedAt, step_id = :step, due_at = null,
				    attempts = 8, last_status = 500, last_error = 'receiver says 500'
				from contacts c
				where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
				  and c.company_id = e.company_id and c.id = e.contact_id and c.email_address = :email
				returning e.id
				""")
			.param("company", UUID.fromString(this.tenant.companyId()))
			.param("journey", UUID.fromString(this.journey))
			.param("email", email)
			.param("reason", reason)
			.param("step", step)
			.param("exitedAt", OffsetDateTime.parse(exitedAt).withOffsetSameInstant(ZoneOffset.UTC))
			.query(UUID.class)
			.single();
		return id.toString();
	}

	private String failed(String email, String step, String exitedAt) {
		return ended(email, step, "action_failed", exitedAt);
	}

	/** Each enrollment of the journey by id. */
	private Map<String, JsonNode> enrollments() {
		Map<String, JsonNode> byId = new HashMap<>();
		walk("/v1/journeys/" + this.journey + "/enrollments?limit=100", this.tenant.token())
			.forEach(enrollment -> byId.put(enrollment.get("id").asString(), enrollment));
		return byId;
	}

	private void assertRetried(Map<String, JsonNode> enrollments, String... ids) {
		for (String id : ids) {
			JsonNode enrollment = enrollments.get(id);
			assertThat(enrollment.get("status").asString()).as("status of %s", id).isEqualTo("active");
			assertThat(enrollment.get("attempts").asInt()).isZero();
			assertThat(enrollment.get("due_at").asString()).isEqualTo(NOW);
			assertThat(enrollment.get("exited_at").isNull()).isTrue();
			assertThat(enrollment.has("exit_reason")).isFalse();
			assertThat(enrollment.has("last_status")).isFalse();
		}
	}

	private void assertStillExited(Map<String, JsonNode> enrollments, String... ids) {
		for (String id : ids) {
			assertThat(enrollments.get(id).get("status").asString()).as("status of %s", id).isEqualTo("exited");
		}
	}

	@Test
	void anEmptyBodyRetriesEveryEnrollmentThatExitedWithActionFailed() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		String b = failed("b@x.com", "second", "2026-06-05T00:00:00Z");
		String goal = ended("goal@x.com", "first", "goal_reached", "2026-06-05T00:00:00Z");
		this.http
			.post("/v1/journeys/" + this.journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"goal@x.com\"]}")
			.hasStatus(200);
		retry("{}").is(200, "{\"retried\": 2}");
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, a, b);
		assertStillExited(enrollments, goal);
		assertThat(enrollments.get(a).get("step_id").asString()).isEqualTo("first");
		assertThat(enrollments.get(b).get("step_id").asString()).isEqualTo("second");
		retry("{}").is(200, "{\"retried\": 0}");
	}

	@Test
	void noBodyAtAllIsAnEmptyFilter() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		retry(null).is(200, "{\"retried\": 1}");
		assertRetried(enrollments(), a);
	}

	@Test
	void exitReasonActionFailedIsTheSameAsNone() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		retry("{\"exit_reason\": \"action_failed\", \"step_id\": null, \"since\": null}").is(200, "{\"retried\": 1}");
		assertRetried(enrollments(), a);
	}

	@Test
	void stepIdRetriesOnlyThoseThatFailedAtThatStep() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		String b = failed("b@x.com", "second", "2026-06-01T00:00:00Z");
		retry("{\"step_id\": \"second\"}").is(200, "{\"retried\": 1}");
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, b);
		assertStillExited(enrollments, a);
	}

	@Test
	void sinceRetriesThoseThatExitedAtOrAfterIt() {
		String before = failed("before@x.com", "first", "2026-06-04T23:59:59.999999Z");
		String at = failed("at@x.com", "first", "2026-06-05T00:00:00Z");
		String after = failed("after@x.com", "second", "2026-06-06T00:00:00Z");
		retry("{\"since\": \"2026-06-05T02:00:00+02:00\"}").is(200, "{\"retried\": 2}");
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, at, after);
		assertStillExited(enrollments, before);
	}

	@Test
	void filtersCombine() {
		String old = failed("old@x.com", "first", "2026-06-01T00:00:00Z");
		String recent = failed("recent@x.com", "first", "2026-06-08T00:00:00Z");
		String elsewhere = failed("elsewhere@x.com", "second", "2026-06-08T00:00:00Z");
		retry("{\"exit_reason\": \"action_failed\", \"step_id\": \"first\", \"since\": \"2026-06-05T00:00:00Z\"}")
			.is(200, "{\"retried\": 1}");
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, recent);
		assertStillExited(enrollments, old, elsewhere);
	}

	@Test
	void noneMatchingRetriesNothing() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		retry("{\"since\": \"2026-06-09T00:00:00Z\"}").is(200, "{\"retried\": 0}");
		retry("{\"step_id\": \"second\"}").is(200, "{\"retried\": 0}");
		assertStillExited(enrollments(), a);
		retry(journeyWithSteps(this.tenant), "{}").is(200, "{\"retried\": 0}");
	}

	/**
	 * Of a contact's failed enrollments only the latest goes back (one active per
	 * contact), and none while the contact is active in the journey again.
	 */
	@Test
	void aContactComesBackOnceAndNotWhileActive() {
		String older = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		String latest = failed("a@x.com", "second", "2026-06-02T00:00:00Z");
		failed("b@x.com", "first", "2026-06-01T00:00:00Z");
		this.http
			.post("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"b@x.com\"]}")
			.hasStatus(200);
		retry("{}").is(200, "{\"retried\": 1}");
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, latest);
		assertStillExited(enrollments, older);
		assertThat(enrollments.values().stream().filter(e -> e.get("status").asString().equals("active"))).hasSize(2);
	}

	/**
	 * Batches of two: every statement takes the next ones, the contact's older failure
	 * stays back in every batch, and the count is the total.
	 */
	@Test
	void theStatementRunsInBatchesUntilNoneIsLeft() {
		List<String> latest = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			latest.add(failed("p" + i + "@x.com", "first", "2026-06-01T00:00:00Z"));
		}
		String older = failed("p9@x.com", "first", "2026-06-01T00:00:00Z");
		latest.add(failed("p9@x.com", "second", "2026-06-02T00:00:00Z"));
		int retried = this.repository.retryAll(UUID.fromString(this.tenant.companyId()), UUID.fromString(this.journey),
				null, null, Instant.parse(NOW), 2);
		assertThat(retried).isEqualTo(6);
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, latest.toArray(String[]::new));
		assertStillExited(enrollments, older);
	}

	@Test
	void aStepTheJourneyNoLongerHasIsNotRetried() {
		String kept = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		String removed = failed("b@x.com", "second", "2026-06-01T00:00:00Z");
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		this.http
			.patch("/v1/journeys/" + this.journey, this.tenant.token(),
					"{\"steps\": [{\"id\": \"first\", \"type\": \"webhook\", \"url\": \"https://example.com/a\"}]}")
			.hasStatus(200);
		retry("{\"step_id\": \"second\"}").is(422, "{\"error\": {\"step_id\": [\"is not a step of the journey\"]}}");
		retry("{}").is(200, "{\"retried\": 1}");
		Map<String, JsonNode> enrollments = enrollments();
		assertRetried(enrollments, kept);
		assertStillExited(enrollments, removed);
	}

	@Test
	void anArchivedJourneyRefusesAndChangesNothing() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"archived\"}")
			.hasStatus(200);
		retry("{}").is(422, "{\"error\": \"Journey is archived: its enrollments can't be retried\"}");
		assertStillExited(enrollments(), a);
	}

	@Test
	void aJourneyThatIsOffTakesThemBack() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		retry("{}").is(200, "{\"retried\": 1}");
		assertRetried(enrollments(), a);
	}

	@Test
	void anotherCompanysJourneyIsNotFoundAndKeepsItsEnrollments() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		Tenant other = newTenant();
		this.http.post("/v1/journeys/" + this.journey + "/enrollments/retry", other.token(), "{}")
			.is(404, JOURNEY_NOT_FOUND);
		retry("nope", "{}").is(404, JOURNEY_NOT_FOUND);
		retry(UUID.randomUUID().toString(), "{}").is(404, JOURNEY_NOT_FOUND);
		assertStillExited(enrollments(), a);
	}

	@Test
	void typeErrorsComeFirstThenTheJourneyThenTheRules() {
		failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		String wrongTypes = "{\"exit_reason\": 1, \"step_id\": [\"first\"], \"since\": \"yesterday\"}";
		String types = "{\"error\": {\"exit_reason\": [\"must be a string\"], "
				+ "\"since\": [\"must be an ISO-8601 time with a zone offset\"], \"step_id\": [\"must be a string\"]}}";
		retry("nope", wrongTypes).is(422, types);
		retry(wrongTypes).is(422, types);
		retry("{\"since\": \"2026-06-01T00:00:00\"}").is(422,
				"{\"error\": {\"since\": [\"must be an ISO-8601 time with a zone offset\"]}}");
		String rules = "{\"exit_reason\": \"goal_reached\", \"step_id\": \"third\"}";
		retry("nope", rules).is(404, JOURNEY_NOT_FOUND);
		retry(rules).is(422, "{\"error\": {\"exit_reason\": [\"is not included in the list\"], "
				+ "\"step_id\": [\"is not a step of the journey\"]}}");
		retry("[]").hasStatus(400);
		assertStillExited(enrollments(), enrollments().keySet().toArray(String[]::new));
	}

	@Test
	void anIdempotencyKeyReplaysTheFirstAnswer() {
		String a = failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		Map<String, String> headers = Map.of("Authorization", "Bearer " + this.tenant.token(), "Content-Type",
				"application/json", "Idempotency-Key", "retry-all-1");
		String path = "/v1/journeys/" + this.journey + "/enrollments/retry";
		this.http.send("POST", path, headers, "{}".getBytes()).is(200, "{\"retried\": 1}");
		Response replayed = this.http.send("POST", path, headers, "{}".getBytes()).is(200, "{\"retried\": 1}");
		assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
		assertRetried(enrollments(), a);
	}

	@Test
	void unknownFieldsAreIgnored() {
		failed("a@x.com", "first", "2026-06-01T00:00:00Z");
		retry("{\"status\": \"exited\"}").is(200, "{\"retried\": 1}");
		assertThat(List.copyOf(enrollments().values()))
			.allSatisfy(e -> assertThat(e.get("status").asString()).isEqualTo("active"));
	}

}
