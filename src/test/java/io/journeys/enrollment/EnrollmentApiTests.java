package io.journeys.enrollment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/journeys/{id}/...}: enrollments listing, complete, unenroll and import, line
 * by line of management.md, over real HTTP.
 */
class EnrollmentApiTests extends ApiTests {

	private static final String T0 = "2026-06-01T09:00:00.123456Z";

	private static final String T1 = "2026-06-01T10:00:00Z";

	private static final String T2 = "2026-06-01T11:00:00.500Z";

	private static final String JOURNEY_NOT_FOUND = "{\"error\": \"Journey not found\"}";

	private static final String BASE = "{\"error\": {\"base\": [\"at least one of contact_email_addresses or list_email_addresses must be provided\"]}}";

	private Tenant tenant;

	private String journey;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.journey = journey(this.tenant, "on");
	}

	private Response post(String action, String body) {
		return post(this.journey, action, body);
	}

	private Response post(String journeyId, String action, String body) {
		return this.http.post("/v1/journeys/" + journeyId + "/" + action, this.tenant.token(), body);
	}

	private Response enroll(String... emails) {
		return post("enroll", "{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}").hasStatus(200);
	}

	private Response complete(String journeyId, String... emails) {
		return post(journeyId, "complete", "{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}");
	}

	private Response unenroll(String journeyId, String body) {
		return post(journeyId, "unenroll", body);
	}

	private Response importRows(String journeyId, String rows) {
		return post(journeyId, "enrollments/import", "{\"enrollments\": [" + rows + "]}");
	}

	private static String row(String email, String enrolledAt, String completedAt, String exitedAt) {
		StringBuilder row = new StringBuilder(
				"{\"email_address\": \"" + email + "\", \"enrolled_at\": \"" + enrolledAt + "\"");
		if (completedAt != null) {
			row.append(", \"completed_at\": \"").append(completedAt).append('"');
		}
		if (exitedAt != null) {
			row.append(", \"exited_at\": \"").append(exitedAt).append('"');
		}
		return row.append('}').toString();
	}

	private static String completed(int count, String notEnrolled) {
		return "{\"completed_count\": " + count + ", \"not_completed\": {\"not_enrolled\": " + notEnrolled + "}}";
	}

	private static String unenrolled(int count, String notFound, String notEnrolled) {
		return "{\"unenrolled_count\": " + count + ", \"not_unenrolled\": {\"not_found\": " + notFound
				+ ", \"not_enrolled\": " + notEnrolled + "}}";
	}

	private static String imported(int count, String notFound, String alreadyEnrolled) {
		return "{\"imported_count\": " + count + ", \"not_imported\": {\"not_found\": " + notFound
				+ ", \"already_enrolled\": " + alreadyEnrolled + "}}";
	}

	private static String fieldError(String field, String message) {
		return "{\"error\": {\"" + field + "\": [\"" + message + "\"]}}";
	}

	private String contactId(String email) {
		return this.http.get("/v1/contacts?email_address=" + encode(email), this.tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
	}

	private List<JsonNode> enrollments(String journeyId, String query) {
		return walk("/v1/journeys/" + journeyId + "/enrollments" + query, this.tenant.token());
	}

	/** {@code email:status} of each enrollment of the journey, newest first. */
	private List<String> statuses(String journeyId) {
		return enrollments(journeyId, "").stream()
			.map(e -> e.get("email_address").asString() + ":" + e.get("status").asString())
			.toList();
	}

	private String enrollmentJson(String id, String journeyId, String email, String status, String source,
			String listId, String enrolledAt, String completedAt, String exitedAt) {
		return """
				{"object": "enrollment", "id": "%s", "journey_id": "%s", "contact_id": "%s", "email_address": "%s",
				 "status": "%s", "source": "%s", "list_id": %s, "enrolled_at": "%s", "completed_at": %s, "exited_at": %s}
				"""
			.formatted(id, journeyId, contactId(email), email, status, source, quoted(listId), enrolledAt,
					quoted(completedAt), quoted(exitedAt));
	}

	private static String quoted(String value) {
		return value == null ? "null" : "\"" + value + "\"";
	}

	// GET enrollments/{id}

	@Test
	void theDetailShowsTheContactWithItsAttributesAndTimeZoneAsTheyAreNow() {
		String id = this.http.post("/v1/contacts", this.tenant.token(), """
				{"email_address": "a@x.com", "first_name": "Ann", "time_zone": "Europe/Paris",
				 "attributes": {"plan": "pro", "address": {"city": "Lyon"}}}
				""").hasStatus(201).text("id");
		contacts(this.tenant, "active", "b@x.com");
		enroll("a@x.com", "b@x.com");
		Map<String, String> enrollmentIds = new HashMap<>();
		enrollments(this.journey, "")
			.forEach(e -> enrollmentIds.put(e.get("email_address").asString(), e.get("id").asString()));
		String detailPath = "/v1/journeys/" + this.journey + "/enrollments/";
		JsonNode a = this.http.get(detailPath + enrollmentIds.get("a@x.com"), this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(a.get("contact")).isEqualTo(Response.JSON.readTree("""
				{"id": "%s", "email_address": "a@x.com", "first_name": "Ann", "last_name": null,
				 "attributes": {"plan": "pro", "address": {"city": "Lyon"}}, "time_zone": "Europe/Paris"}
				""".formatted(id)));
		assertThat(a.get("contact_id").asString()).isEqualTo(id);
		JsonNode b = this.http.get(detailPath + enrollmentIds.get("b@x.com"), this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(b.get("contact")).isEqualTo(Response.JSON.readTree("""
				{"id": "%s", "email_address": "b@x.com", "first_name": null, "last_name": null,
				 "attributes": {}, "time_zone": null}
				""".formatted(contactId("b@x.com"))));
		this.http
			.patch("/v1/contacts/" + id, this.tenant.token(),
					"{\"attributes\": {\"plan\": null, \"seats\": 2}, \"time_zone\": null}")
			.hasStatus(200);
		JsonNode changed = this.http.get(detailPath + enrollmentIds.get("a@x.com"), this.tenant.token())
			.hasStatus(200)
			.json()
			.get("contact");
		assertThat(changed.get("attributes"))
			.isEqualTo(Response.JSON.readTree("{\"address\": {\"city\": \"Lyon\"}, \"seats\": 2}"));
		assertThat(changed.get("time_zone").isNull()).isTrue();
	}

	// GET enrollments

	@Test
	void listsEnrollmentsNewestFirst() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		String listId = list(this.tenant, "team@company.com", "b@x.com");
		this.clock.set(Instant.parse(T0));
		enroll("a@x.com");
		this.clock.set(Instant.parse(T1));
		post("enroll", "{\"list_email_addresses\": [\"team@company.com\"]}").hasStatus(200);
		this.clock.set(Instant.parse(T2));
		importRows(this.journey, row("c@x.com", "2026-05-01T00:00:00Z", "2026-05-02T00:00:00Z", null)).is(200,
				imported(1, "[]", "[]"));
		Response listing = this.http.get("/v1/journeys/" + this.journey + "/enrollments", this.tenant.token());
		JsonNode data = listing.hasStatus(200).json().get("data");
		listing.is(200,
				onePage(50,
						enrollmentJson(data.get(0).get("id").asString(), this.journey, "b@x.com", "active", "list",
								listId, T1, null, null),
						enrollmentJson(data.get(1).get("id").asString(), this.journey, "a@x.com", "active", "contact",
								null, T0, null, null),
						enrollmentJson(data.get(2).get("id").asString(), this.journey, "c@x.com", "completed", "import",
								null, "2026-05-01T00:00:00Z", "2026-05-02T00:00:00Z", null)));
		// another journey of the company has its own enrollments
		String other = journey(this.tenant, "on");
		this.http.get("/v1/journeys/" + other + "/enrollments", this.tenant.token()).is(200, onePage(50));
	}

	@Test
	void enrollmentsOfTheSameMomentAreOrderedById() {
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			emails.add("u" + i + "@x.com");
		}
		contacts(this.tenant, "active", emails.toArray(String[]::new));
		this.clock.set(Instant.parse(T0));
		enroll(emails.subList(0, 4).toArray(String[]::new));
		this.clock.set(Instant.parse(T1));
		enroll(emails.subList(4, 7).toArray(String[]::new));
		List<JsonNode> rows = enrollments(this.journey, "?limit=2");
		assertThat(rows).hasSize(7);
		for (int i = 1; i < rows.size(); i++) {
			Instant previous = Instant.parse(rows.get(i - 1).get("enrolled_at").asString());
			Instant current = Instant.parse(rows.get(i).get("enrolled_at").asString());
			assertThat(current).isBeforeOrEqualTo(previous);
			if (current.equals(previous)) {
				assertThat(rows.get(i).get("id").asString()).isGreaterThan(rows.get(i - 1).get("id").asString());
			}
		}
		assertThat(rows.subList(0, 3).stream().map(r -> r.get("email_address").asString()).toList())
			.containsExactlyInAnyOrderElementsOf(emails.subList(4, 7));
	}

	@Test
	void filtersByStatusAndNormalizedEmail() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		enroll("a@x.com", "b@x.com", "c@x.com");
		complete(this.journey, "b@x.com").is(200, completed(1, "[]"));
		unenroll(this.journey, "{\"contact_email_addresses\": [\"c@x.com\"]}").is(200, unenrolled(1, "[]", "[]"));
		enroll("c@x.com");
		assertThat(emails(enrollments(this.journey, "?status=active"))).containsExactlyInAnyOrder("a@x.com", "c@x.com");
		assertThat(emails(enrollments(this.journey, "?status=completed"))).containsExactly("b@x.com");
		assertThat(emails(enrollments(this.journey, "?status=exited"))).containsExactly("c@x.com");
		assertThat(emails(enrollments(this.journey, "?email_address=" + encode(" C@X.com "))))
			.containsExactly("c@x.com", "c@x.com");
		assertThat(enrollments(this.journey, "?email_address=C@x.com&status=exited")).hasSize(1);
		assertThat(enrollments(this.journey, "?email_address=ghost@x.com")).isEmpty();
		for (String status : List.of("done", "ACTIVE", "")) {
			this.http.get("/v1/journeys/" + this.journey + "/enrollments?status=" + status, this.tenant.token())
				.is(422, fieldError("status", "is not included in the list"));
		}
		this.http.get("/v1/journeys/" + this.journey + "/enrollments?limit=0", this.tenant.token())
			.is(422, fieldError("limit", "must be between 1 and 100"));
		this.http.get("/v1/journeys/" + this.journey + "/enrollments?limit=x", this.tenant.token())
			.is(422, fieldError("limit", "must be an integer between 1 and 100"));
	}

	private static List<String> emails(List<JsonNode> rows) {
		return rows.stream().map(row -> row.get("email_address").asString()).toList();
	}

	@Test
	void nextKeepsTheFiltersAndTheLimit() {
		contacts(this.tenant, "active", "a@x.com");
		this.clock.set(Instant.parse(T0));
		for (int i = 0; i < 3; i++) {
			enroll("a@x.com");
			this.clock.advance(Duration.ofMinutes(1));
			unenroll(this.journey, "{\"contact_email_addresses\": [\"a@x.com\"]}").hasStatus(200);
		}
		JsonNode page = this.http
			.get("/v1/journeys/" + this.journey + "/enrollments?email_address=" + encode(" A@x.com")
					+ "&status=exited&limit=1", this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(page.get("has_more").asBoolean()).isTrue();
		assertThat(page.get("limit").asInt()).isEqualTo(1);
		String next = page.get("next").asString();
		assertThat(next).startsWith("/v1/journeys/" + this.journey + "/enrollments?");
		assertThat(queryOf(next)).containsEntry("email_address", "a@x.com")
			.containsEntry("status", "exited")
			.containsEntry("limit", "1")
			.containsKey("cursor");
		assertThat(enrollments(this.journey, "?email_address=A@x.com&status=exited&limit=1")).hasSize(3);
		assertThat(this.http.get("/v1/journeys/" + this.journey + "/enrollments", this.tenant.token())
			.json()
			.get("limit")
			.asInt()).isEqualTo(50);
	}

	@Test
	void pagingNeverRepeatsOrSkipsEnrollmentsThatExistedBeforeTheFirstPage() {
		List<String> before = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			before.add("p" + i + "@x.com");
		}
		List<String> later = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			later.add("n" + i + "@x.com");
		}
		contacts(this.tenant, "active", before.toArray(String[]::new));
		contacts(this.tenant, "active", later.toArray(String[]::new));
		this.clock.set(Instant.parse(T0));
		enroll(before.subList(0, 3).toArray(String[]::new));
		this.clock.advance(Duration.ofSeconds(1));
		enroll(before.subList(3, 9).toArray(String[]::new));

		List<String> seen = new ArrayList<>();
		String next = "/v1/journeys/" + this.journey + "/enrollments?limit=2";
		int round = 0;
		while (next != null) {
			JsonNode page = this.http.get(next, this.tenant.token()).hasStatus(200).json();
			page.get("data").forEach(row -> seen.add(row.get("email_address").asString()));
			next = page.get("has_more").asBoolean() ? page.get("next").asString() : null;
			// meanwhile: new enrollments, completions and exits
			this.clock.advance(Duration.ofSeconds(1));
			if (round < later.size()) {
				enroll(later.get(round));
			}
			if (round == 1) {
				complete(this.journey, seen.get(0)).hasStatus(200);
				unenroll(this.journey, "{\"contact_email_addresses\": [\"" + seen.get(3) + "\"]}").hasStatus(200);
			}
			round++;
		}
		assertThat(seen).doesNotHaveDuplicates();
		assertThat(seen).containsAll(before);
	}

	// complete

	@Test
	void completeMarksActiveEnrollmentsCompletedNow() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com");
		this.clock.set(Instant.parse(T0));
		enroll("a@x.com", "b@x.com", "c@x.com", "d@x.com");
		complete(this.journey, "c@x.com").is(200, completed(1, "[]"));
		unenroll(this.journey, "{\"contact_email_addresses\": [\"d@x.com\"]}").hasStatus(200);
		this.clock.set(Instant.parse(T1));
		complete(this.journey, " A@x.com", "b@x.com", "B@X.COM", "c@x.com", "d@x.com", "e@x.com", "zz-ghost@x.com",
				"ghost@x.com", "")
			.is(200, completed(2, "[\"c@x.com\", \"d@x.com\", \"e@x.com\", \"ghost@x.com\", \"zz-ghost@x.com\"]"));
		List<JsonNode> done = enrollments(this.journey, "?status=completed");
		assertThat(emails(done)).containsExactlyInAnyOrder("a@x.com", "b@x.com", "c@x.com");
		for (JsonNode enrollment : done) {
			String expected = enrollment.get("email_address").asString().equals("c@x.com") ? T0 : T1;
			assertThat(enrollment.get("completed_at").asString()).isEqualTo(expected);
			assertThat(enrollment.get("enrolled_at").asString()).isEqualTo(T0);
			assertThat(enrollment.get("exited_at").isNull()).isTrue();
		}
		// completing again finds nothing active
		complete(this.journey, "a@x.com").is(200, completed(0, "[\"a@x.com\"]"));
	}

	@Test
	void completeCountsInactiveContactsWithAnActiveEnrollment() {
		contacts(this.tenant, "active", "a@x.com");
		enroll("a@x.com");
		contacts(this.tenant, "inactive", "a@x.com");
		complete(this.journey, "a@x.com").is(200, completed(1, "[]"));
	}

	@Test
	void completeWorksInAnyJourneyState() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		enroll("a@x.com", "b@x.com", "c@x.com");
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		complete(this.journey, "a@x.com").is(200, completed(1, "[]"));
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"archived\"}")
			.hasStatus(200);
		complete(this.journey, "b@x.com").is(200, completed(1, "[]"));
		String draft = journey(this.tenant, "draft");
		importRows(draft, row("c@x.com", "2026-01-01T00:00:00Z", null, null)).is(200, imported(1, "[]", "[]"));
		complete(draft, "c@x.com", "a@x.com").is(200, completed(1, "[\"a@x.com\"]"));
		// the first journey's c is untouched
		assertThat(statuses(this.journey)).contains("c@x.com:active");
	}

	@Test
	void completeIsValidated() {
		String blank = fieldError("contact_email_addresses", "can't be blank");
		for (String body : List.of("{}", "{\"contact_email_addresses\": []}",
				"{\"contact_email_addresses\": [\" \", \"\"]}", "{\"contact_email_addresses\": null}")) {
			post("complete", body).is(422, blank);
		}
		post("complete", null).is(422, blank);
		for (String value : List.of("\"a@x.com\"", "1", "[1]", "[null]")) {
			post("complete", "{\"contact_email_addresses\": " + value + "}").is(422,
					fieldError("contact_email_addresses", "must be an array of strings"));
		}
		post("complete", "{\"contact_email_addresses\": " + jsonArray(Collections.nCopies(1001, "a@x.com")) + "}")
			.is(422, fieldError("contact_email_addresses", "is too long (maximum is 1000)"));
		post("complete", "{\"contact_email_addresses\": " + jsonArray(Collections.nCopies(1000, "a@x.com")) + "}")
			.is(200, completed(0, "[\"a@x.com\"]"));
	}

	// unenroll

	@Test
	void unenrollExitsActiveEnrollments() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com", "m@x.com", "n@x.com");
		contacts(this.tenant, "inactive", "sleepy@x.com");
		list(this.tenant, "team@company.com", "b@x.com", "m@x.com", "n@x.com", "sleepy@x.com");
		this.clock.set(Instant.parse(T0));
		enroll("a@x.com", "b@x.com", "c@x.com", "m@x.com");
		complete(this.journey, "c@x.com").hasStatus(200);
		this.clock.set(Instant.parse(T1));
		// n and sleepy are members without an enrollment: skipped silently
		unenroll(this.journey,
				"""
						{"contact_email_addresses": ["ghost@x.com", " A@X.com", "c@x.com", "sleepy@x.com", "a@x.com", "Ghost@x.com"],
						 "list_email_addresses": ["TEAM@company.com"]}""")
			.is(200, unenrolled(3, "[\"ghost@x.com\"]", "[\"c@x.com\", \"sleepy@x.com\"]"));
		assertThat(statuses(this.journey)).containsExactlyInAnyOrder("a@x.com:exited", "b@x.com:exited",
				"m@x.com:exited", "c@x.com:completed");
		for (JsonNode exited : enrollments(this.journey, "?status=exited")) {
			assertThat(exited.get("exited_at").asString()).isEqualTo(T1);
			assertThat(exited.get("completed_at").isNull()).isTrue();
		}
		unenroll(this.journey, "{\"contact_email_addresses\": [\"a@x.com\"]}").is(200,
				unenrolled(0, "[]", "[\"a@x.com\"]"));
		unenroll(this.journey, "{\"list_email_addresses\": [\"team@company.com\"]}").is(200, unenrolled(0, "[]", "[]"));
	}

	@Test
	void unenrollResolvesListsExactlyAsEnroll() {
		contacts(this.tenant, "active", "a@x.com");
		list(this.tenant, "duplicate@company.com", "a@x.com");
		list(this.tenant, "duplicate@company.com");
		list(this.tenant, "team@company.com", "a@x.com");
		enroll("a@x.com");
		unenroll(this.journey,
				"{\"contact_email_addresses\": [\"a@x.com\"], \"list_email_addresses\": [\"team@company.com\", \"Nonexistent@company.com\", \"duplicate@company.com\"]}")
			.is(422, "{\"error\": \"No list found with email address: nonexistent@company.com\"}");
		unenroll(this.journey,
				"{\"list_email_addresses\": [\"team@company.com\", \"duplicate@company.com\", \"nonexistent@company.com\"]}")
			.is(422, "{\"error\": \"Multiple lists (2) found with email address: duplicate@company.com. Please ensure each list has a unique email address.\"}");
		Tenant other = newTenant();
		list(other, "theirs@company.com");
		unenroll(this.journey, "{\"list_email_addresses\": [\"theirs@company.com\"]}").is(422,
				"{\"error\": \"No list found with email address: theirs@company.com\"}");
		// a failed request changed nothing
		assertThat(statuses(this.journey)).containsExactly("a@x.com:active");
	}

	@Test
	void unenrollNeedsAnEmailAndKeepsTheLimitsOfEnroll() {
		for (String body : List.of("{}", "{\"contact_email_addresses\": []}", "{\"list_email_addresses\": [\" \"]}",
				"{\"contact_email_addresses\": null, \"list_email_addresses\": null}")) {
			unenroll(this.journey, body).is(422, BASE);
		}
		unenroll(this.journey, null).is(422, BASE);
		String contacts1001 = jsonArray(Collections.nCopies(1001, "a@x.com"));
		String lists101 = jsonArray(Collections.nCopies(101, "team@company.com"));
		unenroll(this.journey, "{\"contact_email_addresses\": " + contacts1001 + "}").is(422,
				fieldError("contact_email_addresses", "is too long (maximum is 1000)"));
		unenroll(this.journey, "{\"list_email_addresses\": " + lists101 + "}").is(422,
				fieldError("list_email_addresses", "is too long (maximum is 100)"));
		unenroll(this.journey,
				"{\"contact_email_addresses\": " + contacts1001 + ", \"list_email_addresses\": " + lists101 + "}")
			.is(422, "{\"error\": {\"contact_email_addresses\": [\"is too long (maximum is 1000)\"], "
					+ "\"list_email_addresses\": [\"is too long (maximum is 100)\"]}}");
		unenroll(this.journey, "{\"contact_email_addresses\": \"a@x.com\", \"list_email_addresses\": [1]}").is(422,
				"{\"error\": {\"contact_email_addresses\": [\"must be an array of strings\"], "
						+ "\"list_email_addresses\": [\"must be an array of strings\"]}}");
		unenroll(this.journey, "{\"contact_email_addresses\": " + jsonArray(Collections.nCopies(1000, "a@x.com")) + "}")
			.is(200, unenrolled(0, "[\"a@x.com\"]", "[]"));
	}

	@Test
	void unenrollWorksInAnyJourneyState() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		enroll("a@x.com", "b@x.com");
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		unenroll(this.journey, "{\"contact_email_addresses\": [\"a@x.com\"]}").is(200, unenrolled(1, "[]", "[]"));
		this.http.patch("/v1/journeys/" + this.journey, this.tenant.token(), "{\"state\": \"archived\"}")
			.hasStatus(200);
		unenroll(this.journey, "{\"contact_email_addresses\": [\"b@x.com\"]}").is(200, unenrolled(1, "[]", "[]"));
		String draft = journey(this.tenant, "draft");
		importRows(draft, row("c@x.com", "2026-01-01T00:00:00Z", null, null)).is(200, imported(1, "[]", "[]"));
		unenroll(draft, "{\"contact_email_addresses\": [\"c@x.com\"]}").is(200, unenrolled(1, "[]", "[]"));
	}

	// import

	@Test
	void importRecordsActiveCompletedAndExitedHistory() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com", "d@x.com");
		contacts(this.tenant, "inactive", "sleepy@x.com");
		enroll("d@x.com");
		this.clock.set(Instant.parse(T2));
		importRows(this.journey,
				String.join(",", row(" A@X.com ", "2026-01-01T00:00:00Z", null, null),
						row("b@x.com", "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", null),
						row("c@x.com", "2026-01-04T00:00:00+02:00", null, "2026-01-05T00:00:00Z"),
						row("ghost@x.com", "2026-01-01T00:00:00Z", null, null),
						row("d@x.com", "2026-01-01T00:00:00Z", null, null),
						row("d@x.com", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", null),
						row("sleepy@x.com", "2025-12-31T00:00:00Z", "2025-12-31T00:00:00Z", null),
						row("Ghost@x.com", "2026-01-01T00:00:00Z", null, null),
						row("another-ghost@x.com", "2026-01-01T00:00:00Z", null, null)))
			.is(200, imported(5, "[\"another-ghost@x.com\", \"ghost@x.com\"]", "[\"d@x.com\"]"));
		List<JsonNode> rows = enrollments(this.journey, "?limit=3");
		List<String> expected = new ArrayList<>();
		List<String> actual = new ArrayList<>();
		for (JsonNode row : rows) {
			String email = row.get("email_address").asString();
			actual.add(row.toString());
			String id = row.get("id").asString();
			String json = switch (email + ":" + row.get("enrolled_at").asString()) {
				case "a@x.com:2026-01-01T00:00:00Z" -> enrollmentJson(id, this.journey, email, "active", "import", null,
						"2026-01-01T00:00:00Z", null, null);
				case "b@x.com:2026-01-02T00:00:00Z" -> enrollmentJson(id, this.journey, email, "completed", "import",
						null, "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", null);
				case "c@x.com:2026-01-03T22:00:00Z" -> enrollmentJson(id, this.journey, email, "exited", "import", null,
						"2026-01-03T22:00:00Z", null, "2026-01-05T00:00:00Z");
				case "d@x.com:2025-01-01T00:00:00Z" -> enrollmentJson(id, this.journey, email, "completed", "import",
						null, "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", null);
				case "sleepy@x.com:2025-12-31T00:00:00Z" -> enrollmentJson(id, this.journey, email, "completed",
						"import", null, "2025-12-31T00:00:00Z", "2025-12-31T00:00:00Z", null);
				default -> {
					assertThat(email).isEqualTo("d@x.com");
					assertThat(row.get("source").asString()).isEqualTo("contact");
					yield row.toString();
				}
			};
			expected.add(Response.JSON.readTree(json).toString());
		}
		assertThat(rows).hasSize(6);
		assertThat(actual).isEqualTo(expected);
		assertThat(statuses(this.journey)).containsExactly("d@x.com:active", "c@x.com:exited", "b@x.com:completed",
				"a@x.com:active", "sleepy@x.com:completed", "d@x.com:completed");
	}

	@Test
	void anActiveRowForAContactActiveInTheJourneyIsAlreadyEnrolled() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		importRows(this.journey, String.join(",", row("a@x.com", "2026-01-01T00:00:00Z", null, null),
				row("a@x.com", "2026-01-02T00:00:00Z", null, null), row("b@x.com", "2026-01-01T00:00:00Z", null, null)))
			.is(200, imported(2, "[]", "[\"a@x.com\"]"));
		importRows(this.journey, row("b@x.com", "2026-01-03T00:00:00Z", null, null)).is(200,
				imported(0, "[]", "[\"b@x.com\"]"));
		// an ended row is history, whatever is active
		importRows(this.journey, row("b@x.com", "2025-01-03T00:00:00Z", null, "2025-01-04T00:00:00Z")).is(200,
				imported(1, "[]", "[]"));
		assertThat(enrollments(this.journey, "?status=active")).hasSize(2);
	}

	@Test
	void importWorksInAnyJourneyState() {
		contacts(this.tenant, "active", "a@x.com");
		for (String state : List.of("draft", "on", "off", "archived")) {
			String id = journey(this.tenant, state);
			importRows(id, row("a@x.com", "2026-01-01T00:00:00Z", null, null)).is(200, imported(1, "[]", "[]"));
			assertThat(statuses(id)).containsExactly("a@x.com:active");
		}
	}

	@Test
	void importedCompletionsBlockReEnrollmentWithinTwelveHours() {
		contacts(this.tenant, "active", "recent@x.com", "old@x.com", "edge@x.com");
		Instant now = Instant.parse(T1);
		this.clock.set(now);
		importRows(this.journey,
				String.join(",",
						row("recent@x.com", now.minus(Duration.ofDays(1)).toString(),
								now.minus(Duration.ofHours(1)).toString(), null),
						row("edge@x.com", now.minus(Duration.ofDays(1)).toString(),
								now.minus(Duration.ofHours(12)).plusSeconds(1).toString(), null),
						row("old@x.com", now.minus(Duration.ofDays(1)).toString(),
								now.minus(Duration.ofHours(12)).toString(), null)))
			.is(200, imported(3, "[]", "[]"));
		post("enroll", "{\"contact_email_addresses\": [\"recent@x.com\", \"old@x.com\", \"edge@x.com\"]}").is(200, """
				{"enrolled_count": 1, "not_enrolled": {"not_found": [], "already_enrolled": [],
				 "recently_completed": ["edge@x.com", "recent@x.com"]}}""");
		// an exited import does not block
		contacts(this.tenant, "active", "left@x.com");
		importRows(this.journey, row("left@x.com", now.minus(Duration.ofHours(2)).toString(), null,
				now.minus(Duration.ofHours(1)).toString()))
			.is(200, imported(1, "[]", "[]"));
		post("enroll", "{\"contact_email_addresses\": [\"left@x.com\"]}")
			.is(200, """
					{"enrolled_count": 1, "not_enrolled": {"not_found": [], "already_enrolled": [], "recently_completed": []}}""");
	}

	@Test
	void timesInTheFutureAre422AndNothingIsImported() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		this.clock.set(Instant.parse(T1));
		importRows(this.journey,
				String.join(",", row("a@x.com", "2026-01-01T00:00:00Z", null, null),
						row("b@x.com", "2026-06-01T10:00:00.000001Z", null, null)))
			.is(422, fieldError("enrollments[1].enrolled_at", "can't be in the future"));
		importRows(this.journey,
				String.join(",", row("a@x.com", "2026-01-01T00:00:00Z", null, null),
						row("b@x.com", "2026-01-01T00:00:00Z", "2026-06-02T00:00:00Z", null)))
			.is(422, fieldError("enrollments[1].completed_at", "can't be in the future"));
		importRows(this.journey, row("b@x.com", "2026-01-01T00:00:00Z", null, "2027-01-01T00:00:00Z")).is(422,
				fieldError("enrollments[0].exited_at", "can't be in the future"));
		assertThat(enrollments(this.journey, "")).isEmpty();
		// exactly now is not the future
		importRows(this.journey, row("a@x.com", T1, T1, null)).is(200, imported(1, "[]", "[]"));
	}

	@Test
	void anEndBeforeItsStartIs422AndNothingIsImported() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		importRows(this.journey,
				String.join(",", row("a@x.com", "2026-01-01T00:00:00Z", null, null),
						row("b@x.com", "2026-01-02T00:00:00Z", "2026-01-01T23:59:59Z", null)))
			.is(422, fieldError("enrollments[1].completed_at", "can't be before enrolled_at"));
		importRows(this.journey, row("b@x.com", "2026-01-02T00:00:00Z", null, "2026-01-01T00:00:00Z")).is(422,
				fieldError("enrollments[0].exited_at", "can't be before enrolled_at"));
		assertThat(enrollments(this.journey, "")).isEmpty();
		// an end at the very start is fine
		importRows(this.journey, row("b@x.com", "2026-01-02T00:00:00Z", null, "2026-01-02T00:00:00Z")).is(200,
				imported(1, "[]", "[]"));
	}

	@Test
	void aRowWithBothEndsIs422AndNothingIsImported() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		importRows(this.journey,
				String.join(",", row("a@x.com", "2026-01-01T00:00:00Z", null, null),
						row("b@x.com", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-02T00:00:00Z")))
			.is(422, fieldError("enrollments[1].base", "can't have both completed_at and exited_at"));
		assertThat(enrollments(this.journey, "")).isEmpty();
	}

	@Test
	void importRowsAreValidated() {
		post("enrollments/import", "{}").is(422, fieldError("enrollments", "can't be blank"));
		post("enrollments/import", null).is(422, fieldError("enrollments", "can't be blank"));
		for (String value : List.of("\"x\"", "1", "[1]", "[\"a@x.com\"]")) {
			post("enrollments/import", "{\"enrollments\": " + value + "}").is(422,
					fieldError("enrollments", "must be an array of objects"));
		}
		importRows(this.journey, "{\"enrolled_at\": \"2026-01-01T00:00:00Z\"}").is(422,
				fieldError("enrollments[0].email_address", "can't be blank"));
		importRows(this.journey, "{\"email_address\": \"a@x.com\"}").is(422,
				fieldError("enrollments[0].enrolled_at", "can't be blank"));
		for (String time : List.of("yesterday", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z")) {
			importRows(this.journey, "{\"email_address\": \"a@x.com\", \"enrolled_at\": \"" + time + "\"}").is(422,
					fieldError("enrollments[0].enrolled_at", "must be an ISO-8601 time with a zone offset"));
		}
		importRows(this.journey, "{\"email_address\": \"a@x.com\", \"enrolled_at\": 1767225600}").is(422,
				fieldError("enrollments[0].enrolled_at", "must be a string"));
		importRows(this.journey,
				"{\"email_address\": \"a@x.com\", \"enrolled_at\": \"2026-01-01T00:00:00Z\", \"completed_at\": \"soon\"}")
			.is(422, fieldError("enrollments[0].completed_at", "must be an ISO-8601 time with a zone offset"));
		post("enrollments/import", "{\"enrollments\": []}").is(200, imported(0, "[]", "[]"));
	}

	@Test
	void importTakesUpTo10000Rows() {
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			emails.add("u" + i + "@x.com");
		}
		StringBuilder contacts = new StringBuilder("{\"contacts\": [");
		StringBuilder rows = new StringBuilder();
		for (int i = 0; i < emails.size(); i++) {
			contacts.append(i == 0 ? "" : ",").append("{\"email_address\": \"").append(emails.get(i)).append("\"}");
			rows.append(i == 0 ? "" : ",")
				.append(row(emails.get(i), "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", null));
		}
		this.http.post("/v1/contacts/bulk", this.tenant.token(), contacts.append("]}").toString())
			.is(200, "{\"created\": 10000, \"updated\": 0}");
		importRows(this.journey, rows + "," + row("u0@x.com", "2026-01-01T00:00:00Z", null, null)).is(422,
				fieldError("enrollments", "is too long (maximum is 10000)"));
		assertThat(this.http.get("/v1/journeys/" + this.journey + "/enrollments?limit=1", this.tenant.token())
			.json()
			.get("size")
			.asInt()).isZero();
		importRows(this.journey, rows.toString()).is(200, imported(10_000, "[]", "[]"));
	}

	// tenancy

	@Test
	void foreignUnknownAndMalformedJourneysAre404OnEveryPath() {
		contacts(this.tenant, "active", "a@x.com");
		list(this.tenant, "team@company.com", "a@x.com");
		Tenant other = newTenant();
		String foreign = journey(other, "on");
		this.http.post("/v1/contacts", other.token(), "{\"email_address\": \"a@x.com\"}").hasStatus(201);
		this.http
			.post("/v1/journeys/" + foreign + "/enroll", other.token(), "{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		String contactsBody = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		for (String id : List.of(foreign, UUID.randomUUID().toString(), "nope", "%20", "1")) {
			this.http.get("/v1/journeys/" + id + "/enrollments", this.tenant.token()).is(404, JOURNEY_NOT_FOUND);
			post(id, "enroll", contactsBody).is(404, JOURNEY_NOT_FOUND);
			post(id, "complete", contactsBody).is(404, JOURNEY_NOT_FOUND);
			post(id, "unenroll", contactsBody).is(404, JOURNEY_NOT_FOUND);
			post(id, "unenroll", "{\"list_email_addresses\": [\"team@company.com\"]}").is(404, JOURNEY_NOT_FOUND);
			importRows(id, row("a@x.com", "2026-01-01T00:00:00Z", null, null)).is(404, JOURNEY_NOT_FOUND);
		}
		// the other company's enrollment was not touched
		JsonNode theirs = this.http.get("/v1/journeys/" + foreign + "/enrollments", other.token()).json().get("data");
		assertThat(theirs.size()).isEqualTo(1);
		assertThat(theirs.get(0).get("status").asString()).isEqualTo("active");
	}

	@Test
	void anotherCompanysContactsAreUnknownEverywhere() {
		Tenant other = newTenant();
		contacts(other, "active", "theirs@x.com");
		complete(this.journey, "theirs@x.com").is(200, completed(0, "[\"theirs@x.com\"]"));
		unenroll(this.journey, "{\"contact_email_addresses\": [\"theirs@x.com\"]}").is(200,
				unenrolled(0, "[\"theirs@x.com\"]", "[]"));
		importRows(this.journey, row("theirs@x.com", "2026-01-01T00:00:00Z", null, null)).is(200,
				imported(0, "[\"theirs@x.com\"]", "[]"));
	}

}
