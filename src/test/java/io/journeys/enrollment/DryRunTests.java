package io.journeys.enrollment;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/journeys/{id}/enroll?dry_run=true}: the answer the real enroll then
 * gives, byte for byte, and nothing written, over real HTTP.
 */
class DryRunTests extends ApiTests {

	private static final String NOTHING_NOT_ENROLLED = "\"not_enrolled\": {\"not_found\": [], \"already_enrolled\": [], \"recently_completed\": []}";

	@Autowired
	private JdbcClient jdbc;

	private Tenant tenant;

	private String journey;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.journey = journey(this.tenant, "on");
	}

	private Response enroll(String journeyId, String query, String body) {
		return enroll(journeyId, query, body, Map.of());
	}

	private Response enroll(String journeyId, String query, String body, Map<String, String> extraHeaders) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Bearer " + this.tenant.token());
		headers.put("Content-Type", "application/json");
		headers.putAll(extraHeaders);
		return this.http.send("POST", "/v1/journeys/" + journeyId + "/enroll" + query, headers, body.getBytes());
	}

	private Response dryRun(String body) {
		return enroll(this.journey, "?dry_run=true", body);
	}

	/**
	 * Runs the dry run, checks it wrote nothing, then the real enroll, and asserts both
	 * answered the same status, content type and body, byte for byte.
	 */
	private Response assertDryRunAnswersAsTheEnroll(String journeyId, String body) {
		int enrollmentsBefore = rows("enrollments");
		Response dry = enroll(journeyId, "?dry_run=true", body);
		assertThat(rows("enrollments")).as("enrollments after the dry run").isEqualTo(enrollmentsBefore);
		assertThat(rows("idempotency_keys")).as("idempotency records after the dry run").isZero();
		Response real = enroll(journeyId, "", body);
		assertThat(dry.status()).as("status of the dry run, answering %s", dry.body()).isEqualTo(real.status());
		assertThat(dry.header("Content-Type")).isEqualTo(real.header("Content-Type"));
		assertThat(dry.body()).isEqualTo(real.body());
		return real;
	}

	private int rows(String table) {
		return this.jdbc.sql("select count(*) from " + table + " where company_id = :company")
			.param("company", UUID.fromString(this.tenant.companyId()))
			.query(Integer.class)
			.single();
	}

	@Test
	void aDryRunByEmailAnswersWhatTheEnrollThenAnswers() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		contacts(this.tenant, "inactive", "off@x.com");
		Response real = assertDryRunAnswersAsTheEnroll(this.journey,
				"{\"contact_email_addresses\": [\"B@x.com\", \" a@x.com\", \"nobody@x.com\", \"off@x.com\", \"b@x.com\", \"not an address\"]}");
		real.is(200, "{\"enrolled_count\": 2, \"not_enrolled\": {\"not_found\": [\"nobody@x.com\", \"not an address\", "
				+ "\"off@x.com\"], \"already_enrolled\": [], \"recently_completed\": []}}");
		assertThat(rows("enrollments")).isEqualTo(2);
	}

	@Test
	void aDryRunWithListsAnswersWhatTheEnrollThenAnswers() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com", "d@x.com");
		list(this.tenant, "team@lists.com", "a@x.com", "b@x.com", "c@x.com");
		list(this.tenant, "others@lists.com", "c@x.com", "d@x.com");
		contacts(this.tenant, "inactive", "c@x.com");
		Response real = assertDryRunAnswersAsTheEnroll(this.journey,
				"{\"contact_email_addresses\": [\"a@x.com\", \"nobody@x.com\"], "
						+ "\"list_email_addresses\": [\"team@lists.com\", \"Others@lists.com\", \"team@lists.com\"]}");
		real.is(200, "{\"enrolled_count\": 3, \"not_enrolled\": {\"not_found\": [\"nobody@x.com\"], "
				+ "\"already_enrolled\": [], \"recently_completed\": []}}");
	}

	@Test
	void aDryRunReportsTheAlreadyEnrolledAndTheRecentlyCompleted() {
		contacts(this.tenant, "active", "in@x.com", "done@x.com", "new@x.com");
		enroll(this.journey, "", "{\"contact_email_addresses\": [\"in@x.com\", \"done@x.com\"]}").hasStatus(200);
		this.http
			.post("/v1/journeys/" + this.journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"done@x.com\"]}")
			.hasStatus(200);
		String body = "{\"contact_email_addresses\": [\"in@x.com\", \"done@x.com\", \"new@x.com\"]}";
		String expected = "{\"enrolled_count\": 1, \"not_enrolled\": {\"not_found\": [], "
				+ "\"already_enrolled\": [\"in@x.com\"], \"recently_completed\": [\"done@x.com\"]}}";
		dryRun(body).is(200, expected);
		dryRun(body).is(200, expected);
		assertThat(rows("enrollments")).isEqualTo(2);
		assertDryRunAnswersAsTheEnroll(this.journey, body).is(200, expected);
		dryRun(body).is(200, "{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [], "
				+ "\"already_enrolled\": [\"in@x.com\", \"new@x.com\"], \"recently_completed\": [\"done@x.com\"]}}");
	}

	@Test
	void aDryRunPastTheReentryWindowEnrollsAgain() {
		contacts(this.tenant, "active", "done@x.com");
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		enroll(this.journey, "", "{\"contact_email_addresses\": [\"done@x.com\"]}").hasStatus(200);
		this.http
			.post("/v1/journeys/" + this.journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"done@x.com\"]}")
			.hasStatus(200);
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z").plus(Duration.ofHours(12)).plusSeconds(1));
		assertDryRunAnswersAsTheEnroll(this.journey, "{\"contact_email_addresses\": [\"done@x.com\"]}").is(200,
				"{\"enrolled_count\": 1, " + NOTHING_NOT_ENROLLED + "}");
	}

	@Test
	void aJourneyThatIsNotOnGetsTheErrorOfTheEnroll() {
		contacts(this.tenant, "active", "a@x.com");
		list(this.tenant, "team@lists.com", "a@x.com");
		for (String state : new String[] { "draft", "off", "archived" }) {
			String other = journey(this.tenant, state);
			String error = "{\"error\": \"Journey must be in 'on' state to enroll people. Current state: " + state
					+ "\"}";
			assertDryRunAnswersAsTheEnroll(other, "{\"contact_email_addresses\": [\"a@x.com\"]}").is(422, error);
			assertDryRunAnswersAsTheEnroll(other, "{\"list_email_addresses\": [\"team@lists.com\"]}").is(422, error);
		}
		assertThat(rows("enrollments")).isZero();
	}

	@Test
	void theOtherErrorsAreTheErrorsOfTheEnroll() {
		contacts(this.tenant, "active", "a@x.com");
		list(this.tenant, "dup@lists.com");
		list(this.tenant, "dup@lists.com");
		assertDryRunAnswersAsTheEnroll("nope", "{\"contact_email_addresses\": [\"a@x.com\"]}").is(404,
				"{\"error\": \"Journey not found\"}");
		assertDryRunAnswersAsTheEnroll(UUID.randomUUID().toString(), "{}").is(404,
				"{\"error\": \"Journey not found\"}");
		assertDryRunAnswersAsTheEnroll(this.journey, "{\"contact_email_addresses\": [\" \"]}").is(422,
				"{\"error\": {\"base\": [\"at least one of contact_email_addresses or list_email_addresses must be provided\"]}}");
		assertDryRunAnswersAsTheEnroll(this.journey,
				"{\"contact_email_addresses\": [\"a@x.com\"], \"list_email_addresses\": [\"none@lists.com\"]}")
			.is(422, "{\"error\": \"No list found with email address: none@lists.com\"}");
		assertDryRunAnswersAsTheEnroll(this.journey, "{\"list_email_addresses\": [\"dup@lists.com\"]}").is(422,
				"{\"error\": \"Multiple lists (2) found with email address: dup@lists.com. "
						+ "Please ensure each list has a unique email address.\"}");
		assertDryRunAnswersAsTheEnroll(this.journey, "{\"contact_email_addresses\": \"a@x.com\"}").is(422,
				"{\"error\": {\"contact_email_addresses\": [\"must be an array of strings\"]}}");
		String tooMany = "[" + "\"a@x.com\",".repeat(1000) + "\"a@x.com\"]";
		assertDryRunAnswersAsTheEnroll(this.journey, "{\"contact_email_addresses\": " + tooMany + "}").is(422,
				"{\"error\": {\"contact_email_addresses\": [\"is too long (maximum is 1000)\"]}}");
		assertDryRunAnswersAsTheEnroll(this.journey, "{\"contact_email_addresses\": [").hasStatus(400);
		assertThat(rows("enrollments")).isZero();
	}

	@Test
	void aDryRunIgnoresTheIdempotencyKey() {
		contacts(this.tenant, "active", "a@x.com");
		String body = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		String enrolled = "{\"enrolled_count\": 1, " + NOTHING_NOT_ENROLLED + "}";
		String already = "{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [], "
				+ "\"already_enrolled\": [\"a@x.com\"], \"recently_completed\": []}}";
		Map<String, String> key = Map.of("Idempotency-Key", "dry-key");

		Response dry = enroll(this.journey, "?dry_run=true", body, key).is(200, enrolled);
		assertThat(dry.header("Idempotent-Replayed")).isNull();
		assertThat(rows("idempotency_keys")).isZero();
		Response real = enroll(this.journey, "", body, key).is(200, enrolled);
		assertThat(real.header("Idempotent-Replayed")).isNull();
		assertThat(rows("enrollments")).isOne();
		assertThat(rows("idempotency_keys")).isOne();
		// the stored answer is not replayed to a dry run, which runs and finds the
		// contact in
		Response after = enroll(this.journey, "?dry_run=true", body, key).is(200, already);
		assertThat(after.header("Idempotent-Replayed")).isNull();
		enroll(this.journey, "", body, key).is(200, enrolled);
		// not even a key the filter would refuse, nor a bad dry_run, touches the store
		enroll(this.journey, "?dry_run=true", body, Map.of("Idempotency-Key", "k".repeat(300))).is(200, already);
		enroll(this.journey, "?dry_run=maybe", body, Map.of("Idempotency-Key", "bad-dry-key")).hasStatus(422);
		assertThat(rows("idempotency_keys")).isOne();
	}

	@Test
	void dryRunFalseIsARealEnrollUnderItsKey() {
		contacts(this.tenant, "active", "a@x.com");
		String body = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		Map<String, String> key = Map.of("Idempotency-Key", "real-key");
		enroll(this.journey, "?dry_run=false", body, key).is(200,
				"{\"enrolled_count\": 1, " + NOTHING_NOT_ENROLLED + "}");
		Response retry = enroll(this.journey, "?dry_run=false", body, key).hasStatus(200);
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(rows("enrollments")).isOne();
	}

	@Test
	void aDryRunIsNotCountedAsEnrollments() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		String before = scrape();
		dryRun("{\"contact_email_addresses\": [\"a@x.com\", \"b@x.com\", \"nobody@x.com\"]}").hasStatus(200);
		String after = scrape();
		for (String outcome : new String[] { "enrolled", "not_found", "already_enrolled", "recently_completed" }) {
			String series = "journeys_enrollments_total{outcome=\"" + outcome + "\"}";
			assertThat(value(after, series)).as(series).isEqualTo(value(before, series));
		}
		String requests = "journeys_enroll_request_emails_count{field=\"contact_email_addresses\"}";
		assertThat(value(after, requests)).as(requests).isEqualTo(value(before, requests));
	}

	@Test
	void aDryRunHoldsNoLockAfterItAnswers() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		list(this.tenant, "team@lists.com", "a@x.com");
		dryRun("{\"contact_email_addresses\": [\"a@x.com\"]}").hasStatus(200);
		dryRun("{\"list_email_addresses\": [\"team@lists.com\"]}").hasStatus(200);
		// a state change locks the journey for update; a contact delete takes the
		// contact-deletes lock alone; both would wait behind a lock left held
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		String b = this.http.get("/v1/contacts?email_address=b@x.com", this.tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		this.http.delete("/v1/contacts/" + b, this.tenant.token()).hasStatus(204);
		assertThat(rows("enrollments")).isZero();
	}

	@Test
	void dryRunTakesTrueOrFalseOnly() {
		contacts(this.tenant, "active", "a@x.com");
		String body = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		String error = "{\"error\": {\"dry_run\": [\"must be true or false\"]}}";
		for (String query : new String[] { "?dry_run=maybe", "?dry_run=", "?dry_run", "?dry_run=TRUE", "?dry_run=1",
				"?dry_run=true&dry_run=true" }) {
			enroll(this.journey, query, body).is(422, error);
		}
		// a body that cannot be read answers first, the journey after
		enroll(this.journey, "?dry_run=maybe", "{").hasStatus(400);
		enroll("nope", "?dry_run=maybe", body).is(422, error);
		assertThat(rows("enrollments")).isZero();
	}

	private String scrape() {
		return this.http.get("/actuator/prometheus", null).hasStatus(200).body();
	}

	private static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
		assertThat(matcher.find()).as("%s in the scrape", series).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

}
