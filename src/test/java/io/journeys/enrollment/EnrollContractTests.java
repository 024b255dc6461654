package io.journeys.enrollment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/journeys/{id}/enroll}, line by line of enroll.md, over real HTTP. */
class EnrollContractTests extends ApiTests {

	private Tenant tenant;

	private String journey;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.journey = journey(this.tenant, "on");
	}

	private Response enroll(String body) {
		return this.http.post("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(), body);
	}

	private static String result(int enrolled, String notFound, String already, String recent) {
		return """
				{"enrolled_count": %d, "not_enrolled": {"not_found": %s, "already_enrolled": %s, "recently_completed": %s}}
				"""
			.formatted(enrolled, notFound, already, recent);
	}

	@Test
	void enrollsByContactEmails() {
		contacts(this.tenant, "active", "user1@example.com", "user2@example.com", "user3@example.com");
		enroll("{\"contact_email_addresses\": [\"user1@example.com\", \"user2@example.com\", \"user3@example.com\"]}")
			.is(200, result(3, "[]", "[]", "[]"));
	}

	@Test
	void enrollsListMembers() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		list(this.tenant, "team@company.com", "a@x.com", "b@x.com");
		list(this.tenant, "engineering@company.com", "b@x.com", "c@x.com");
		enroll("{\"list_email_addresses\": [\"team@company.com\", \"engineering@company.com\"]}").is(200,
				result(3, "[]", "[]", "[]"));
	}

	@Test
	void theSuccessExampleOfTheDocument() {
		contacts(this.tenant, "active", "new1@example.com", "new2@example.com", "already.in@example.com",
				"just.finished@example.com");
		enroll("{\"contact_email_addresses\": [\"already.in@example.com\", \"just.finished@example.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + this.journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"just.finished@example.com\"]}")
			.is(200, "{\"completed_count\": 1, \"not_completed\": {\"not_enrolled\": []}}");
		enroll("""
				{"contact_email_addresses": ["new1@example.com", "new2@example.com", "unknown@example.com",
				 "already.in@example.com", "just.finished@example.com"]}
				""").is(200, result(2, "[\"unknown@example.com\"]", "[\"already.in@example.com\"]",
				"[\"just.finished@example.com\"]"));
	}

	@Test
	void normalizesEmailsByTrimmingAndLowercasing() {
		contacts(this.tenant, "active", "user1@example.com");
		list(this.tenant, "team@company.com", "user1@example.com");
		enroll("{\"contact_email_addresses\": [\"  USER1@Example.COM\\t\", \"\\u00a0Nobody@Example.com\\u2003\"],"
				+ " \"list_email_addresses\": [\" TEAM@company.com \"]}")
			.is(200, result(1, "[\"nobody@example.com\"]", "[]", "[]"));
	}

	@Test
	void enrollsDuplicatesOnceWithinAndAcrossSources() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		list(this.tenant, "one@lists.com", "a@x.com", "b@x.com");
		list(this.tenant, "two@lists.com", "a@x.com");
		enroll("{\"contact_email_addresses\": [\"a@x.com\", \"A@x.com\", \"a@x.com \"],"
				+ " \"list_email_addresses\": [\"one@lists.com\", \"two@lists.com\", \"ONE@lists.com\"]}")
			.is(200, result(2, "[]", "[]", "[]"));
		Response listing = this.http.get("/v1/journeys/" + this.journey + "/enrollments", this.tenant.token())
			.hasStatus(200);
		assertThat(listing.json().get("size").asInt()).isEqualTo(2);
	}

	@Test
	void inactiveContactsAreNotFoundAndInactiveMembersSkippedSilently() {
		contacts(this.tenant, "active", "active@x.com");
		contacts(this.tenant, "inactive", "sleepy@x.com", "member.sleepy@x.com");
		list(this.tenant, "team@company.com", "active@x.com", "member.sleepy@x.com");
		enroll("{\"contact_email_addresses\": [\"sleepy@x.com\"], \"list_email_addresses\": [\"team@company.com\"]}")
			.is(200, result(1, "[\"sleepy@x.com\"]", "[]", "[]"));
	}

	@Test
	void notFoundNeverListsListMembers() {
		contacts(this.tenant, "active", "a@x.com");
		contacts(this.tenant, "inactive", "b@x.com");
		list(this.tenant, "team@company.com", "a@x.com", "b@x.com");
		enroll("{\"list_email_addresses\": [\"team@company.com\"]}").is(200, result(1, "[]", "[]", "[]"));
	}

	@Test
	void nothingEnrollableStillAnswers200() {
		enroll("{\"contact_email_addresses\": [\"ghost@x.com\"]}").is(200, result(0, "[\"ghost@x.com\"]", "[]", "[]"));
	}

	@Test
	void invalidAddressesAreNoError() {
		enroll("{\"contact_email_addresses\": [\"not an email\", \"@@\"]}").is(200,
				result(0, "[\"@@\", \"not an email\"]", "[]", "[]"));
		enroll("{\"list_email_addresses\": [\"not a list\"]}").is(422,
				"{\"error\": \"No list found with email address: not a list\"}");
	}

	@Test
	void alreadyEnrolledIncludesListMembers() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		list(this.tenant, "team@company.com", "a@x.com", "b@x.com");
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
		enroll("{\"list_email_addresses\": [\"team@company.com\"]}").is(200, result(1, "[]", "[\"a@x.com\"]", "[]"));
	}

	@Test
	void outputArraysAreSortedByCodePointEachEmailOnce() {
		List<String> emails = new ArrayList<>(
				List.of("b@x.com", "B2@x.com", "a@x.com", "_z@x.com", "Zed@x.com", "é@x.com", "10@x.com", "9@x.com"));
		Collections.shuffle(emails);
		String body = "{\"contact_email_addresses\": " + jsonArray(emails) + "}";
		List<String> expected = new ArrayList<>(emails.stream().map(e -> e.toLowerCase()).toList());
		Collections.sort(expected);
		enroll(body).is(200, result(0, jsonArray(expected), "[]", "[]"));
	}

	@Test
	void exitedEnrollmentDoesNotBlockANewOne() {
		contacts(this.tenant, "active", "a@x.com");
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
		this.http
			.post("/v1/journeys/" + this.journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.is(200, "{\"unenrolled_count\": 1, \"not_unenrolled\": {\"not_found\": [], \"not_enrolled\": []}}");
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
	}

	@Test
	void recentlyCompletedWindowHasSharpEdges() {
		contacts(this.tenant, "active", "a@x.com");
		Instant start = Instant.parse("2026-01-01T00:00:00Z");
		this.clock.set(start);
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
		this.http
			.post("/v1/journeys/" + this.journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		this.clock.set(start.plus(Duration.ofHours(12)).minusNanos(1000));
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(0, "[]", "[]", "[\"a@x.com\"]"));
		this.clock.set(start.plus(Duration.ofHours(12)));
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(0, "[]", "[\"a@x.com\"]", "[]"));
	}

	@Test
	void activeEnrollmentWinsOverRecentCompletion() {
		contacts(this.tenant, "active", "a@x.com");
		this.http.post("/v1/journeys/" + this.journey + "/enrollments/import", this.tenant.token(), """
				{"enrollments": [
				  {"email_address": "a@x.com", "enrolled_at": "2020-01-01T00:00:00Z"}
				]}""").hasStatus(200);
		Instant now = Instant.now();
		this.http.post("/v1/journeys/" + this.journey + "/enrollments/import", this.tenant.token(), """
				{"enrollments": [
				  {"email_address": "a@x.com", "enrolled_at": "%s", "completed_at": "%s"}
				]}""".formatted(now.minusSeconds(7200), now.minusSeconds(3600))).hasStatus(200);
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(0, "[]", "[\"a@x.com\"]", "[]"));
	}

	@Test
	void listMembersCanBeRecentlyCompleted() {
		contacts(this.tenant, "active", "a@x.com");
		list(this.tenant, "team@company.com", "a@x.com");
		Instant now = Instant.now();
		this.http.post("/v1/journeys/" + this.journey + "/enrollments/import", this.tenant.token(), """
				{"enrollments": [{"email_address": "a@x.com", "enrolled_at": "%s", "completed_at": "%s"}]}
				""".formatted(now.minusSeconds(7200), now.minusSeconds(60))).hasStatus(200);
		enroll("{\"list_email_addresses\": [\"team@company.com\"]}").is(200, result(0, "[]", "[]", "[\"a@x.com\"]"));
	}

	@Test
	void completionsOlderThanTheWindowDoNotBlock() {
		contacts(this.tenant, "active", "a@x.com");
		this.http.post("/v1/journeys/" + this.journey + "/enrollments/import", this.tenant.token(), """
				{"enrollments": [{"email_address": "a@x.com", "enrolled_at": "2020-01-01T00:00:00Z",
				  "completed_at": "2020-01-02T00:00:00Z"}]}""").hasStatus(200);
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
	}

	@Test
	void unknownForeignAndMalformedJourneysAre404() {
		Tenant other = newTenant();
		String foreign = journey(other, "on");
		for (String id : List.of(foreign, "00000000-0000-0000-0000-000000000000", "nope", "1-1-1-1-1", "%20",
				"12345678901234567890", "%27%20or%201%3D1%20--", "..%2F..", "%00")) {
			this.http
				.post("/v1/journeys/" + id + "/enroll", this.tenant.token(),
						"{\"contact_email_addresses\": [\"a@x.com\"]}")
				.is(404, "{\"error\": \"Journey not found\"}");
		}
	}

	@Test
	void journeyMustBeOn() {
		for (String state : List.of("draft", "off", "archived")) {
			String id = journey(this.tenant, state);
			this.http
				.post("/v1/journeys/" + id + "/enroll", this.tenant.token(),
						"{\"contact_email_addresses\": [\"a@x.com\"]}")
				.is(422, "{\"error\": \"Journey must be in 'on' state to enroll people. Current state: " + state
						+ "\"}");
		}
	}

	@Test
	void noEmailsIsTheBaseError() {
		String base = "{\"error\": {\"base\": [\"at least one of contact_email_addresses or list_email_addresses must be provided\"]}}";
		for (String body : List.of("{}", "{\"contact_email_addresses\": []}",
				"{\"contact_email_addresses\": null, \"list_email_addresses\": null}",
				"{\"contact_email_addresses\": [\"  \", \"\"], \"list_email_addresses\": [\"\\t\"]}",
				"{\"unknown\": 1}")) {
			enroll(body).is(422, base);
		}
		this.http.post("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(), null).is(422, base);
	}

	@Test
	void listNotFoundAndDuplicateListsInRequestOrder() {
		contacts(this.tenant, "active", "a@x.com");
		list(this.tenant, "duplicate@company.com");
		list(this.tenant, "duplicate@company.com");
		list(this.tenant, "team@company.com", "a@x.com");
		enroll("{\"list_email_addresses\": [\"team@company.com\", \"nonexistent@company.com\", \"duplicate@company.com\"]}")
			.is(422, "{\"error\": \"No list found with email address: nonexistent@company.com\"}");
		enroll("{\"list_email_addresses\": [\"team@company.com\", \"duplicate@company.com\", \"nonexistent@company.com\"]}")
			.is(422, "{\"error\": \"Multiple lists (2) found with email address: duplicate@company.com. Please ensure each list has a unique email address.\"}");
		enroll("{\"contact_email_addresses\": [\"a@x.com\"], \"list_email_addresses\": [\"NONEXISTENT@company.com\"]}")
			.is(422, "{\"error\": \"No list found with email address: nonexistent@company.com\"}");
		// a failed request changed nothing
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(1, "[]", "[]", "[]"));
	}

	@Test
	void anotherCompanysListsAndContactsDoNotExist() {
		Tenant other = newTenant();
		contacts(other, "active", "a@x.com");
		list(other, "team@company.com", "a@x.com");
		enroll("{\"list_email_addresses\": [\"team@company.com\"]}").is(422,
				"{\"error\": \"No list found with email address: team@company.com\"}");
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, result(0, "[\"a@x.com\"]", "[]", "[]"));
	}

	@Test
	void limitsCountTheArrayAsSent() {
		List<String> contacts1001 = new ArrayList<>();
		for (int i = 0; i < 1001; i++) {
			contacts1001.add(i % 2 == 0 ? "same@x.com" : "");
		}
		List<String> lists101 = Collections.nCopies(101, "team@company.com");
		enroll("{\"contact_email_addresses\": " + jsonArray(contacts1001) + "}").is(422,
				"{\"error\": {\"contact_email_addresses\": [\"is too long (maximum is 1000)\"]}}");
		enroll("{\"list_email_addresses\": " + jsonArray(lists101) + "}").is(422,
				"{\"error\": {\"list_email_addresses\": [\"is too long (maximum is 100)\"]}}");
		enroll("{\"contact_email_addresses\": " + jsonArray(contacts1001) + ", \"list_email_addresses\": "
				+ jsonArray(lists101) + "}")
			.is(422, "{\"error\": {\"contact_email_addresses\": [\"is too long (maximum is 1000)\"], "
					+ "\"list_email_addresses\": [\"is too long (maximum is 100)\"]}}");
	}

	@Test
	void exactlyAtTheLimitsIsAccepted() {
		List<String> contacts1000 = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			contacts1000.add("u" + i + "@x.com");
		}
		Response response = enroll("{\"contact_email_addresses\": " + jsonArray(contacts1000) + "}").hasStatus(200);
		assertThat(response.json().get("not_enrolled").get("not_found").size()).isEqualTo(1000);
	}

	@Test
	void fieldsOfTheWrongTypeAre422() {
		String contactsError = "{\"error\": {\"contact_email_addresses\": [\"must be an array of strings\"]}}";
		for (String value : List.of("\"a@x.com\"", "5", "[1]", "[null]", "[\"a@x.com\", null]", "{}", "true",
				"[[\"a@x.com\"]]")) {
			enroll("{\"contact_email_addresses\": " + value + "}").is(422, contactsError);
		}
		enroll("{\"list_email_addresses\": \"team@company.com\"}").is(422,
				"{\"error\": {\"list_email_addresses\": [\"must be an array of strings\"]}}");
		enroll("{\"contact_email_addresses\": 1, \"list_email_addresses\": [2]}").is(422,
				"{\"error\": {\"contact_email_addresses\": [\"must be an array of strings\"], "
						+ "\"list_email_addresses\": [\"must be an array of strings\"]}}");
	}

	@Test
	void typeErrorsComeBeforeTheJourneyLookup() {
		this.http.post("/v1/journeys/nope/enroll", this.tenant.token(), "{\"contact_email_addresses\": 1}")
			.is(422, "{\"error\": {\"contact_email_addresses\": [\"must be an array of strings\"]}}");
	}

	@Test
	void journeyChecksComeBeforeLimitsAndBase() {
		String draft = journey(this.tenant, "draft");
		this.http.post("/v1/journeys/" + draft + "/enroll", this.tenant.token(), "{}")
			.is(422, "{\"error\": \"Journey must be in 'on' state to enroll people. Current state: draft\"}");
		this.http
			.post("/v1/journeys/nope/enroll", this.tenant.token(),
					"{\"list_email_addresses\": " + jsonArray(Collections.nCopies(101, "x")) + "}")
			.is(404, "{\"error\": \"Journey not found\"}");
	}

	@Test
	void limitsComeBeforeListResolution() {
		enroll("{\"contact_email_addresses\": " + jsonArray(Collections.nCopies(1001, "a@x.com"))
				+ ", \"list_email_addresses\": [\"nonexistent@company.com\"]}")
			.is(422, "{\"error\": {\"contact_email_addresses\": [\"is too long (maximum is 1000)\"]}}");
	}

	@Test
	void unreadableBodiesAre400() {
		for (String body : List.of("{", "not json", "[]", "\"text\"", "42", "null", "{\"a\": }",
				"[".repeat(5000) + "]".repeat(5000))) {
			Response response = enroll(body).hasStatus(400);
			assertThat(response.json().get("error").isString()).isTrue();
		}
	}

	@Test
	void otherContentTypesAre415() {
		for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
			Response response = this.http.send("POST", "/v1/journeys/" + this.journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}", type);
			response.is(415, "{\"error\": \"Content-Type must be application/json\"}");
		}
	}

	@Test
	void bodiesOverOneMebibyteAre413() {
		String big = "{\"contact_email_addresses\": [\"" + "a".repeat(1024 * 1024) + "\"]}";
		enroll(big).is(413, "{\"error\": \"request body is too large\"}");
		Response chunked = this.http.sendChunked("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(),
				big.getBytes());
		chunked.is(413, "{\"error\": \"request body is too large\"}");
	}

	@Test
	void authenticationComesFirst() {
		Response response = this.http.post("/v1/journeys/nope/enroll", null, "{");
		response.is(401, "{\"error\": \"Invalid or missing API token\"}");
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		for (String token : List.of("wrong", "jrn_" + "A".repeat(43), ADMIN_TOKEN)) {
			this.http.post("/v1/journeys/" + this.journey + "/enroll", token, "{}")
				.is(401, "{\"error\": \"Invalid or missing API token\"}");
		}
		this.http
			.send("POST", "/v1/journeys/" + this.journey + "/enroll",
					Map.of("Authorization", "Basic " + this.tenant.token(), "Content-Type", "application/json"),
					"{}".getBytes())
			.is(401, "{\"error\": \"Invalid or missing API token\"}");
	}

	@Test
	void revokedKeysAre401() {
		this.http.delete("/admin/v1/api_keys/" + this.tenant.keyId(), ADMIN_TOKEN).hasStatus(204);
		enroll("{\"contact_email_addresses\": [\"a@x.com\"]}").is(401, "{\"error\": \"Invalid or missing API token\"}");
	}

	@Test
	void enrollmentsRecordSourceListAndKey() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		String listId = list(this.tenant, "team@company.com", "b@x.com");
		enroll("{\"contact_email_addresses\": [\"a@x.com\"], \"list_email_addresses\": [\"team@company.com\"]}")
			.hasStatus(200);
		Response listing = this.http
			.get("/v1/journeys/" + this.journey + "/enrollments?email_address=B@X.com", this.tenant.token())
			.hasStatus(200);
		var enrollment = listing.json().get("data").get(0);
		assertThat(enrollment.get("source").asString()).isEqualTo("list");
		assertThat(enrollment.get("list_id").asString()).isEqualTo(listId);
		assertThat(enrollment.get("status").asString()).isEqualTo("active");
		var named = this.http
			.get("/v1/journeys/" + this.journey + "/enrollments?email_address=a@x.com", this.tenant.token())
			.json()
			.get("data")
			.get(0);
		assertThat(named.get("source").asString()).isEqualTo("contact");
		assertThat(named.get("list_id").isNull()).isTrue();
	}

}
