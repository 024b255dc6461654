package io.journeys.contact;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/contacts}, line by line of management.md, over real HTTP. */
class ContactApiTests extends ApiTests {

	private static final String T0 = "2026-02-01T10:00:00.123456Z";

	private static final String T1 = "2026-02-01T11:30:00Z";

	private static final String NOT_FOUND = "{\"error\": \"Contact not found\"}";

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	private Response create(String body) {
		return this.http.post("/v1/contacts", this.tenant.token(), body);
	}

	private Response get(String path) {
		return this.http.get(path, this.tenant.token());
	}

	private static String contact(String id, String email, String first, String last, String status, String createdAt,
			String updatedAt) {
		return contact(id, email, first, last, status, "{}", null, createdAt, updatedAt);
	}

	private static String contact(String id, String email, String first, String last, String status, String attributes,
			String timeZone, String createdAt, String updatedAt) {
		return """
				{"object": "contact", "id": "%s", "email_address": "%s", "first_name": %s, "last_name": %s,
				 "status": "%s", "attributes": %s, "time_zone": %s, "created_at": "%s", "updated_at": "%s"}
				""".formatted(id, email, quoted(first), quoted(last), status, attributes, quoted(timeZone), createdAt,
				updatedAt);
	}

	private static String quoted(String value) {
		return value == null ? "null" : "\"" + value + "\"";
	}

	private static String fieldError(String field, String message) {
		return "{\"error\": {\"" + field + "\": [\"" + message + "\"]}}";
	}

	private List<String> emailsOf(String path) {
		return walk(path, this.tenant.token()).stream().map(row -> row.get("email_address").asString()).toList();
	}

	private String bulk(int count, String prefix) {
		StringBuilder body = new StringBuilder("{\"contacts\": [");
		for (int i = 0; i < count; i++) {
			body.append(i == 0 ? "" : ",")
				.append("{\"email_address\": \"")
				.append(prefix)
				.append(i)
				.append("@x.com\"}");
		}
		return body.append("]}").toString();
	}

	// create

	@Test
	void createsAContactWithItsEmailNormalized() {
		this.clock.set(Instant.parse(T0));
		Response created = create("""
				{"email_address": " \\u00a0Jane.Doe@Example.COM\\t", "first_name": "Jane", "last_name": "Doe"}
				""");
		String id = created.text("id");
		created.is(201, contact(id, "jane.doe@example.com", "Jane", "Doe", "active", T0, T0));
		get("/v1/contacts/" + id).is(200, contact(id, "jane.doe@example.com", "Jane", "Doe", "active", T0, T0));
	}

	@Test
	void namesAreOptionalAndStatusDefaultsToActive() {
		this.clock.set(Instant.parse(T0));
		Response created = create("{\"email_address\": \"a@x.com\"}");
		created.is(201, contact(created.text("id"), "a@x.com", null, null, "active", T0, T0));
		Response inactive = create("{\"email_address\": \"b@x.com\", \"status\": \"inactive\", \"first_name\": null}");
		inactive.is(201, contact(inactive.text("id"), "b@x.com", null, null, "inactive", T0, T0));
		Response active = create("{\"email_address\": \"c@x.com\", \"status\": \"active\", \"unknown\": 1}");
		active.is(201, contact(active.text("id"), "c@x.com", null, null, "active", T0, T0));
	}

	@Test
	void aTakenEmailIs422WhateverItsCase() {
		create("{\"email_address\": \"jane@example.com\"}").hasStatus(201);
		String taken = fieldError("email_address", "has already been taken");
		for (String email : List.of("jane@example.com", "JANE@Example.com", "  jane@example.com ")) {
			create("{\"email_address\": \"" + email + "\"}").is(422, taken);
		}
		assertThat(emailsOf("/v1/contacts")).containsExactly("jane@example.com");
		// another company may hold the same address
		Tenant other = newTenant();
		this.http.post("/v1/contacts", other.token(), "{\"email_address\": \"Jane@example.com\"}").hasStatus(201);
	}

	@Test
	void anInvalidEmailIs422() {
		for (String email : List.of("not an email", "no-at-sign", "a@b@c.com", "@x.com", "a@", "a b@x.com",
				"a".repeat(250) + "@x.com")) {
			create("{\"email_address\": \"" + email + "\"}").is(422, fieldError("email_address", "is invalid"));
		}
		String blank = fieldError("email_address", "can't be blank");
		for (String body : List.of("{}", "{\"email_address\": \"\"}", "{\"email_address\": \"   \"}",
				"{\"email_address\": null}", "{\"first_name\": \"Jane\"}")) {
			create(body).is(422, blank);
		}
		this.http.post("/v1/contacts", this.tenant.token(), null).is(422, blank);
		for (String value : List.of("5", "[\"a@x.com\"]", "true", "{}")) {
			create("{\"email_address\": " + value + "}").is(422, fieldError("email_address", "must be a string"));
		}
		create("{\"email_address\": \"" + "a".repeat(1001) + "@x.com\"}").is(422,
				fieldError("email_address", "is too long (maximum is 1000 characters)"));
		assertThat(emailsOf("/v1/contacts")).isEmpty();
	}

	@Test
	void anInvalidStatusOrNameIs422() {
		for (String status : List.of("paused", "ACTIVE", "", "archived")) {
			create("{\"email_address\": \"a@x.com\", \"status\": \"" + status + "\"}").is(422,
					fieldError("status", "is not included in the list"));
		}
		create("{\"email_address\": \"a@x.com\", \"status\": 1}").is(422, fieldError("status", "must be a string"));
		create("{\"email_address\": \"a@x.com\", \"first_name\": \"" + "n".repeat(256) + "\"}").is(422,
				fieldError("first_name", "is too long (maximum is 255 characters)"));
		create("{\"email_address\": \"a@x.com\", \"last_name\": 3}").is(422,
				fieldError("last_name", "must be a string"));
		create("{\"email_address\": \"bad\", \"status\": \"paused\"}").is(422, """
				{"error": {"email_address": ["is invalid"], "status": ["is not included in the list"]}}
				""");
		assertThat(emailsOf("/v1/contacts")).isEmpty();
	}

	// get, patch, delete

	@Test
	void patchesNamesAndStatus() {
		this.clock.set(Instant.parse(T0));
		String id = create("{\"email_address\": \"jane@x.com\", \"first_name\": \"Jane\", \"last_name\": \"Doe\"}")
			.hasStatus(201)
			.text("id");
		this.clock.set(Instant.parse(T1));
		this.http
			.patch("/v1/contacts/" + id, this.tenant.token(), "{\"first_name\": \"Janet\", \"status\": \"inactive\"}")
			.is(200, contact(id, "jane@x.com", "Janet", "Doe", "inactive", T0, T1));
		this.http.patch("/v1/contacts/" + id, this.tenant.token(), "{\"last_name\": null, \"status\": \"active\"}")
			.is(200, contact(id, "jane@x.com", "Janet", null, "active", T0, T1));
		this.http.patch("/v1/contacts/" + id, this.tenant.token(), "{\"last_name\": \"Roe\"}")
			.is(200, contact(id, "jane@x.com", "Janet", "Roe", "active", T0, T1));
		get("/v1/contacts/" + id).is(200, contact(id, "jane@x.com", "Janet", "Roe", "active", T0, T1));
	}

	@Test
	void anInvalidPatchIs422AndChangesNothing() {
		this.clock.set(Instant.parse(T0));
		String id = create("{\"email_address\": \"jane@x.com\", \"first_name\": \"Jane\"}").hasStatus(201).text("id");
		this.http.patch("/v1/contacts/" + id, this.tenant.token(), "{\"first_name\": \"Janet\", \"status\": \"gone\"}")
			.is(422, fieldError("status", "is not included in the list"));
		this.http.patch("/v1/contacts/" + id, this.tenant.token(), "{\"first_name\": 5}")
			.is(422, fieldError("first_name", "must be a string"));
		this.http.patch("/v1/contacts/" + id, this.tenant.token(), "{\"last_name\": \"" + "x".repeat(256) + "\"}")
			.is(422, fieldError("last_name", "is too long (maximum is 255 characters)"));
		get("/v1/contacts/" + id).is(200, contact(id, "jane@x.com", "Jane", null, "active", T0, T0));
	}

	@Test
	void unknownMalformedAndForeignContactsAre404() {
		Tenant other = newTenant();
		String foreign = this.http.post("/v1/contacts", other.token(), "{\"email_address\": \"a@x.com\"}")
			.hasStatus(201)
			.text("id");
		for (String id : List.of(foreign, UUID.randomUUID().toString(), "nope", "42", "a@x.com",
				foreign.toUpperCase() + "0", "%20")) {
			get("/v1/contacts/" + id).is(404, NOT_FOUND);
			this.http.patch("/v1/contacts/" + id, this.tenant.token(), "{\"first_name\": \"X\"}").is(404, NOT_FOUND);
			this.http.delete("/v1/contacts/" + id, this.tenant.token()).is(404, NOT_FOUND);
		}
		// the other company's contact was not touched
		Response kept = this.http.get("/v1/contacts/" + foreign, other.token()).hasStatus(200);
		assertThat(kept.json().get("first_name").isNull()).isTrue();
	}

	@Test
	void deleteRemovesTheContactAndItsMemberships() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		String listId = list(this.tenant, "team@company.com", "a@x.com", "b@x.com");
		get("/v1/lists/" + listId).hasStatus(200);
		assertThat(get("/v1/lists/" + listId).json().get("memberships_count").asInt()).isEqualTo(2);
		String id = get("/v1/contacts?email_address=a@x.com").json().get("data").get(0).get("id").asString();

		Response deleted = this.http.delete("/v1/contacts/" + id, this.tenant.token()).hasStatus(204);
		assertThat(deleted.body()).isEmpty();
		get("/v1/contacts/" + id).is(404, NOT_FOUND);
		this.http.delete("/v1/contacts/" + id, this.tenant.token()).is(404, NOT_FOUND);
		assertThat(emailsOf("/v1/contacts")).containsExactly("b@x.com");
		assertThat(get("/v1/lists/" + listId).json().get("memberships_count").asInt()).isEqualTo(1);
		assertThat(emailsOf("/v1/lists/" + listId + "/members")).containsExactly("b@x.com");
		// the address is free again
		create("{\"email_address\": \"a@x.com\"}").hasStatus(201);
	}

	// list

	@Test
	void listsContactsOldestFirstInTheCollectionShape() {
		this.clock.set(Instant.parse(T0));
		String a = create("{\"email_address\": \"a@x.com\", \"first_name\": \"A\"}").hasStatus(201).text("id");
		this.clock.set(Instant.parse(T1));
		String b = create("{\"email_address\": \"b@x.com\", \"status\": \"inactive\"}").hasStatus(201).text("id");
		get("/v1/contacts").is(200, onePage(50, contact(a, "a@x.com", "A", null, "active", T0, T0),
				contact(b, "b@x.com", null, null, "inactive", T1, T1)));
		// another company sees none of them
		this.http.get("/v1/contacts", newTenant().token()).is(200, onePage(50));
	}

	@Test
	void filtersByNormalizedEmailAndByStatus() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		contacts(this.tenant, "inactive", "c@x.com", "d@x.com");
		assertThat(emailsOf("/v1/contacts?email_address=" + encode("  A@X.com\t"))).containsExactly("a@x.com");
		assertThat(emailsOf("/v1/contacts?email_address=C@x.COM")).containsExactly("c@x.com");
		assertThat(emailsOf("/v1/contacts?email_address=ghost@x.com")).isEmpty();
		assertThat(emailsOf("/v1/contacts?status=active")).containsExactlyInAnyOrder("a@x.com", "b@x.com");
		assertThat(emailsOf("/v1/contacts?status=inactive")).containsExactlyInAnyOrder("c@x.com", "d@x.com");
		assertThat(emailsOf("/v1/contacts?status=inactive&email_address=D@x.com")).containsExactly("d@x.com");
		assertThat(emailsOf("/v1/contacts?status=active&email_address=d@x.com")).isEmpty();
		for (String status : List.of("paused", "ACTIVE", "")) {
			get("/v1/contacts?status=" + status).is(422, fieldError("status", "is not included in the list"));
		}
	}

	@Test
	void limitDefaultsTo50AndRanges1To100() {
		this.http.post("/v1/contacts/bulk", this.tenant.token(), bulk(101, "u"))
			.is(200, "{\"created\": 101, \"updated\": 0}");
		JsonNode first = get("/v1/contacts").hasStatus(200).json();
		assertThat(first.get("limit").asInt()).isEqualTo(50);
		assertThat(first.get("size").asInt()).isEqualTo(50);
		assertThat(first.get("data").size()).isEqualTo(50);
		assertThat(first.get("has_more").asBoolean()).isTrue();
		assertThat(first.get("next").asString()).startsWith("/v1/contacts?").contains("limit=50").contains("cursor=");
		JsonNode hundred = get("/v1/contacts?limit=100").hasStatus(200).json();
		assertThat(hundred.get("size").asInt()).isEqualTo(100);
		assertThat(hundred.get("has_more").asBoolean()).isTrue();
		JsonNode one = get("/v1/contacts?limit=1").hasStatus(200).json();
		assertThat(one.get("size").asInt()).isEqualTo(1);
		assertThat(emailsOf("/v1/contacts")).hasSize(101).doesNotHaveDuplicates();
		for (String limit : List.of("0", "101", "-1", "1000")) {
			get("/v1/contacts?limit=" + limit).is(422, fieldError("limit", "must be between 1 and 100"));
		}
		for (String limit : List.of("abc", "1.5", "", "99999999999", "10&limit=500")) {
			get("/v1/contacts?limit=" + limit).is(422, fieldError("limit", "must be an integer between 1 and 100"));
		}
		get("/v1/contacts?cursor=a&cursor=b").is(422, fieldError("cursor", "is invalid"));
	}

	@Test
	void theLastPageHasNoNextAndAnExactPageHasNoMore() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		JsonNode page = get("/v1/contacts?limit=2").hasStatus(200).json();
		assertThat(page.get("has_more").asBoolean()).isFalse();
		assertThat(page.get("next").isNull()).isTrue();
		assertThat(page.get("size").asInt()).isEqualTo(2);
		assertThat(page.get("limit").asInt()).isEqualTo(2);
	}

	@Test
	void nextKeepsTheFiltersAndTheLimit() {
		contacts(this.tenant, "inactive", "a@x.com", "b@x.com", "c@x.com");
		contacts(this.tenant, "active", "d@x.com");
		JsonNode page = get("/v1/contacts?status=inactive&limit=2").hasStatus(200).json();
		String next = page.get("next").asString();
		assertThat(next).startsWith("/v1/contacts?");
		Map<String, String> query = queryOf(next);
		assertThat(query).containsEntry("status", "inactive").containsEntry("limit", "2").containsKey("cursor");
		JsonNode second = get(next).hasStatus(200).json();
		assertThat(second.get("limit").asInt()).isEqualTo(2);
		assertThat(second.get("size").asInt()).isEqualTo(1);
		assertThat(second.get("data").get(0).get("status").asString()).isEqualTo("inactive");
	}

	@Test
	void aCursorThisServiceDidNotWriteIs422() {
		for (String cursor : List.of("nope", "AAAA", encode("1.2.3"))) {
			get("/v1/contacts?cursor=" + cursor).is(422, fieldError("cursor", "is invalid"));
		}
	}

	@Test
	void walkingAllPagesReturnsEveryRowExactlyOnce() {
		// rows of one bulk share created_at; separate calls get later times
		this.clock.set(Instant.parse(T0));
		contacts(this.tenant, "active", "a1@x.com", "a2@x.com", "a3@x.com", "a4@x.com", "a5@x.com");
		this.clock.advance(Duration.ofSeconds(1));
		contacts(this.tenant, "inactive", "b1@x.com", "b2@x.com");
		this.clock.advance(Duration.ofSeconds(1));
		create("{\"email_address\": \"c1@x.com\"}").hasStatus(201);
		List<String> all = emailsOf("/v1/contacts?limit=2");
		assertThat(all).hasSize(8).doesNotHaveDuplicates();
		assertThat(all).containsExactlyInAnyOrder("a1@x.com", "a2@x.com", "a3@x.com", "a4@x.com", "a5@x.com",
				"b1@x.com", "b2@x.com", "c1@x.com");
		assertThat(all.subList(5, 8)).containsExactlyInAnyOrder("b1@x.com", "b2@x.com", "c1@x.com");
		assertThat(all.get(7)).isEqualTo("c1@x.com");
		assertThat(emailsOf("/v1/contacts?limit=2&status=active")).containsExactlyInAnyOrder("a1@x.com", "a2@x.com",
				"a3@x.com", "a4@x.com", "a5@x.com", "c1@x.com");
	}

	@Test
	void pagingNeverRepeatsOrSkipsRowsThatExistedBeforeTheFirstPage() {
		this.clock.set(Instant.parse(T0));
		List<String> before = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			before.add("p" + i + "@x.com");
		}
		contacts(this.tenant, "active", before.subList(0, 4).toArray(String[]::new));
		this.clock.advance(Duration.ofSeconds(1));
		contacts(this.tenant, "active", before.subList(4, 9).toArray(String[]::new));

		List<String> seen = new ArrayList<>();
		String next = "/v1/contacts?limit=2";
		int round = 0;
		while (next != null) {
			JsonNode page = get(next).hasStatus(200).json();
			page.get("data").forEach(row -> seen.add(row.get("email_address").asString()));
			next = page.get("has_more").asBoolean() ? page.get("next").asString() : null;
			// meanwhile others write: new contacts, and the last row just read is deleted
			this.clock.advance(Duration.ofMillis(10));
			create("{\"email_address\": \"new" + round + "@x.com\"}").hasStatus(201);
			if (round == 1) {
				String lastId = page.get("data").get(1).get("id").asString();
				this.http.delete("/v1/contacts/" + lastId, this.tenant.token()).hasStatus(204);
			}
			round++;
		}
		assertThat(seen).doesNotHaveDuplicates();
		assertThat(seen).containsAll(before);
	}

	// attributes and time zone

	private static final String TOO_LARGE = "is too large (maximum is 16 KiB as JSON)";

	private static final String TOO_LARGE_MERGED = "is too large once merged with the stored attributes "
			+ "(maximum is 16 KiB as JSON)";

	private static final String UNKNOWN_ZONE = "is not a known IANA time zone";

	private Response patch(String id, String body) {
		return this.http.patch("/v1/contacts/" + id, this.tenant.token(), body);
	}

	private Response bulkUpsert(String body) {
		return this.http.post("/v1/contacts/bulk", this.tenant.token(), body);
	}

	private String idOf(String email) {
		return get("/v1/contacts?email_address=" + email).json().get("data").get(0).get("id").asString();
	}

	/** {"k": "vvv..."}: exactly {@code size} bytes as compact JSON. */
	private static String objectOfSize(int size) {
		return "{\"k\":\"" + "v".repeat(size - 8) + "\"}";
	}

	@Test
	void createsAContactWithAttributesAndATimeZone() {
		this.clock.set(Instant.parse(T0));
		Response created = create("""
				{"email_address": "a@x.com", "time_zone": " Europe/Paris ",
				 "attributes": {"plan": "pro", "seats": 3, "ratio": 0.5, "beta": true, "tags": ["a", "b"],
				                "address": {"city": "Lyon", "zip": null}, "none": null}}
				""");
		String id = created.text("id");
		String attributes = """
				{"plan": "pro", "seats": 3, "ratio": 0.5, "beta": true, "tags": ["a", "b"],
				 "address": {"city": "Lyon", "zip": null}}""";
		created.is(201, contact(id, "a@x.com", null, null, "active", attributes, "Europe/Paris", T0, T0));
		get("/v1/contacts/" + id).is(200,
				contact(id, "a@x.com", null, null, "active", attributes, "Europe/Paris", T0, T0));
		assertThat(get("/v1/contacts").json().get("data").get(0)).isEqualTo(created.json());
	}

	@Test
	void attributesDefaultToAnEmptyObjectAndTheTimeZoneToNull() {
		this.clock.set(Instant.parse(T0));
		Response created = create("{\"email_address\": \"a@x.com\", \"attributes\": null, \"time_zone\": null}");
		created.is(201, contact(created.text("id"), "a@x.com", null, null, "active", "{}", null, T0, T0));
		Response empty = create("{\"email_address\": \"b@x.com\", \"attributes\": {}, \"time_zone\": \"UTC\"}");
		empty.is(201, contact(empty.text("id"), "b@x.com", null, null, "active", "{}", "UTC", T0, T0));
		// list members show them too
		String list = list(this.tenant, "team@x.com", "a@x.com");
		assertThat(get("/v1/lists/" + list + "/members").json().get("data").get(0)).isEqualTo(created.json());
	}

	@Test
	void patchMergesAttributesAtTheTopLevel() {
		this.clock.set(Instant.parse(T0));
		String id = create("""
				{"email_address": "a@x.com", "time_zone": "Europe/Paris",
				 "attributes": {"plan": "free", "seats": 3, "address": {"city": "Lyon", "zip": "69001"}}}
				""").hasStatus(201).text("id");
		this.clock.set(Instant.parse(T1));
		String merged = "{\"plan\": \"pro\", \"address\": {\"country\": \"FR\"}, \"new\": [1]}";
		patch(id, """
				{"attributes": {"plan": "pro", "seats": null, "address": {"country": "FR"}, "new": [1], "absent": null}}
				""").is(200, contact(id, "a@x.com", null, null, "active", merged, "Europe/Paris", T0, T1));
		// fields not sent, an empty object and null attributes keep them
		patch(id, "{\"first_name\": \"Ann\"}").is(200,
				contact(id, "a@x.com", "Ann", null, "active", merged, "Europe/Paris", T0, T1));
		patch(id, "{\"attributes\": {}}").is(200,
				contact(id, "a@x.com", "Ann", null, "active", merged, "Europe/Paris", T0, T1));
		patch(id, "{\"attributes\": null, \"time_zone\": \"Asia/Tokyo\"}").is(200,
				contact(id, "a@x.com", "Ann", null, "active", merged, "Asia/Tokyo", T0, T1));
		patch(id, "{\"time_zone\": null}").is(200, contact(id, "a@x.com", "Ann", null, "active", merged, null, T0, T1));
		get("/v1/contacts/" + id).is(200, contact(id, "a@x.com", "Ann", null, "active", merged, null, T0, T1));
	}

	@Test
	void bulkMergesAttributesPerContactAndKeepsWhatIsNotSent() {
		this.clock.set(Instant.parse(T0));
		bulkUpsert("""
				{"contacts": [
				  {"email_address": "a@x.com", "first_name": "A", "time_zone": "Europe/Paris",
				   "attributes": {"plan": "free", "seats": 3, "address": {"city": "Lyon"}}},
				  {"email_address": "b@x.com", "attributes": {"x": 1}}
				]}""").is(200, "{\"created\": 2, \"updated\": 0}");
		String a = idOf("a@x.com");
		String b = idOf("b@x.com");
		get("/v1/contacts/" + a).is(200, contact(a, "a@x.com", "A", null, "active",
				"{\"plan\": \"free\", \"seats\": 3, \"address\": {\"city\": \"Lyon\"}}", "Europe/Paris", T0, T0));
		this.clock.set(Instant.parse(T1));
		bulkUpsert(
				"""
						{"contacts": [
						  {"email_address": "A@x.com", "attributes": {"plan": "pro", "seats": null, "address": {"zip": "1"}}},
						  {"email_address": "b@x.com", "time_zone": "Asia/Tokyo"},
						  {"email_address": "c@x.com", "time_zone": "America/New_York", "attributes": {"plan": "trial", "n": null}},
						  {"email_address": "d@x.com"}
						]}""")
			.is(200, "{\"created\": 2, \"updated\": 2}");
		get("/v1/contacts/" + a).is(200, contact(a, "a@x.com", "A", null, "active",
				"{\"plan\": \"pro\", \"address\": {\"zip\": \"1\"}}", "Europe/Paris", T0, T1));
		get("/v1/contacts/" + b).is(200,
				contact(b, "b@x.com", null, null, "active", "{\"x\": 1}", "Asia/Tokyo", T0, T1));
		String c = idOf("c@x.com");
		get("/v1/contacts/" + c).is(200,
				contact(c, "c@x.com", null, null, "active", "{\"plan\": \"trial\"}", "America/New_York", T1, T1));
		String d = idOf("d@x.com");
		get("/v1/contacts/" + d).is(200, contact(d, "d@x.com", null, null, "active", "{}", null, T1, T1));
	}

	@Test
	void attributesThatAreNotAnObjectOrBreakARuleAre422AndCreateNothing() {
		for (String value : List.of("\"plan\"", "5", "[{\"a\": 1}]", "true")) {
			create("{\"email_address\": \"a@x.com\", \"attributes\": " + value + "}").is(422,
					fieldError("attributes", "must be an object"));
		}
		create("{\"email_address\": \"a@x.com\", \"attributes\": " + objectOfSize(16 * 1024 + 1) + "}").is(422,
				fieldError("attributes", TOO_LARGE));
		create("{\"email_address\": \"a@x.com\", \"attributes\": {\"\": 1}}").is(422,
				fieldError("attributes", "can't have an empty key"));
		create("{\"email_address\": \"a@x.com\", \"attributes\": {\"" + "k".repeat(256) + "\": 1}}").is(422,
				fieldError("attributes", "can't have a key longer than 255 characters"));
		create("{\"email_address\": \"a@x.com\", \"attributes\": {\"a\": \"x\\u0000y\"}}").is(422,
				fieldError("attributes", "must not contain null characters"));
		for (String zone : List.of("Mars/Olympus", "+02:00", "UTC+1", "GMT+01:00", "", "europe/paris")) {
			create("{\"email_address\": \"a@x.com\", \"time_zone\": \"" + zone + "\"}").is(422,
					fieldError("time_zone", UNKNOWN_ZONE));
		}
		create("{\"email_address\": \"a@x.com\", \"time_zone\": 2}").is(422,
				fieldError("time_zone", "must be a string"));
		// type errors first, then the rules
		create("{\"email_address\": 5, \"attributes\": {\"\": 1}, \"time_zone\": \"Mars/Olympus\"}").is(422,
				fieldError("email_address", "must be a string"));
		create("{\"email_address\": \"a@x.com\", \"attributes\": {\"\": 1}, \"time_zone\": \"Mars/Olympus\"}").is(422,
				"""
						{"error": {"attributes": ["can't have an empty key"], "time_zone": ["%s"]}}"""
					.formatted(UNKNOWN_ZONE));
		assertThat(emailsOf("/v1/contacts")).isEmpty();
		// the limits themselves pass
		create("{\"email_address\": \"a@x.com\", \"attributes\": " + objectOfSize(16 * 1024) + "}").hasStatus(201);
		create("{\"email_address\": \"b@x.com\", \"attributes\": {\"" + "k".repeat(255) + "\": 1}}").hasStatus(201);
	}

	@Test
	void attributesReadBackAsTheyWereAnsweredAndNumbersPastJsonbAre422() {
		String numbers = "{\"zero\": -0.0, \"big\": 123456789012345678901234567890.5, \"e\": 1E2, \"b\": 1, \"a\": [0.10]}";
		Response created = create("{\"email_address\": \"a@x.com\", \"attributes\": " + numbers + "}").hasStatus(201);
		String path = "/v1/contacts/" + created.text("id");
		assertThat(get(path).json()).isEqualTo(created.json());
		Response patched = patch(created.text("id"), "{\"attributes\": {\"zero\": -0.0, \"c\": 1e300}}").hasStatus(200);
		assertThat(get(path).json()).isEqualTo(patched.json());
		create("{\"email_address\": \"b@x.com\", \"attributes\": {\"n\": {\"deep\": [1e400]}}}").is(422,
				fieldError("attributes", "must not hold a number out of range"));
		patch(created.text("id"), "{\"attributes\": {\"n\": -1e400}}").is(422,
				fieldError("attributes", "must not hold a number out of range"));
		assertThat(get(path).json()).isEqualTo(patched.json());
	}

	@Test
	void anInvalidPatchOfAttributesOrTimeZoneIs422AndChangesNothing() {
		this.clock.set(Instant.parse(T0));
		String id = create(
				"{\"email_address\": \"a@x.com\", \"time_zone\": \"Europe/Paris\", \"attributes\": {\"a\": 1}}")
			.hasStatus(201)
			.text("id");
		String unchanged = contact(id, "a@x.com", null, null, "active", "{\"a\": 1}", "Europe/Paris", T0, T0);
		this.clock.set(Instant.parse(T1));
		patch(id, "{\"first_name\": \"Ann\", \"attributes\": [1]}").is(422,
				fieldError("attributes", "must be an object"));
		patch(id, "{\"first_name\": \"Ann\", \"attributes\": {\"\": null}}").is(422,
				fieldError("attributes", "can't have an empty key"));
		patch(id, "{\"attributes\": {\"" + "k".repeat(256) + "\": null}}").is(422,
				fieldError("attributes", "can't have a key longer than 255 characters"));
		patch(id, "{\"attributes\": " + objectOfSize(16 * 1024 + 1) + "}").is(422, fieldError("attributes", TOO_LARGE));
		patch(id, "{\"first_name\": \"Ann\", \"time_zone\": \"Mars/Olympus\"}").is(422,
				fieldError("time_zone", UNKNOWN_ZONE));
		patch(id, "{\"time_zone\": \"+02:00\"}").is(422, fieldError("time_zone", UNKNOWN_ZONE));
		// what is stored counts: the merged object is at most 16 KiB too
		patch(id, "{\"first_name\": \"Ann\", \"attributes\": " + objectOfSize(16 * 1024 - 5) + "}").is(422,
				fieldError("attributes", TOO_LARGE_MERGED));
		get("/v1/contacts/" + id).is(200, unchanged);
		// the body's own rules come before the lookup
		patch(UUID.randomUUID().toString(), "{\"time_zone\": \"Mars/Olympus\"}").is(422,
				fieldError("time_zone", UNKNOWN_ZONE));
		patch(UUID.randomUUID().toString(), "{\"attributes\": {\"a\": 2}}").is(404, NOT_FOUND);
		// {"a":null,"k":"vvv..."}: 16 KiB sent, less once merged
		patch(id, "{\"attributes\": {\"a\": null, \"k\": \"" + "v".repeat(16 * 1024 - 17) + "\"}}").hasStatus(200);
	}

	@Test
	void anInvalidBulkEntryIs422OnItsIndexAndChangesNothing() {
		this.clock.set(Instant.parse(T0));
		bulkUpsert("{\"contacts\": [{\"email_address\": \"a@x.com\", \"attributes\": {\"a\": 1}}]}").hasStatus(200);
		String a = idOf("a@x.com");
		String unchanged = contact(a, "a@x.com", null, null, "active", "{\"a\": 1}", null, T0, T0);
		bulkUpsert("""
				{"contacts": [
				  {"email_address": "a@x.com", "attributes": {"a": 2}},
				  {"email_address": "b@x.com", "attributes": "plan"},
				  {"email_address": "c@x.com"},
				  {"email_address": "d@x.com", "time_zone": 5}
				]}""")
			.is(422, """
					{"error": {"contacts[1].attributes": ["must be an object"], "contacts[3].time_zone": ["must be a string"]}}""");
		bulkUpsert("""
				{"contacts": [
				  {"email_address": "a@x.com", "attributes": {"a": 2}},
				  {"email_address": "b@x.com"},
				  {"email_address": "c@x.com", "time_zone": "Mars/Olympus"},
				  {"email_address": "d@x.com", "attributes": {"": 1}},
				  {"email_address": "e@x.com", "attributes": %s}
				]}""".formatted(objectOfSize(16 * 1024 + 1))).is(422, """
				{"error": {"contacts[2].time_zone": ["%s"], "contacts[3].attributes": ["can't have an empty key"],
				           "contacts[4].attributes": ["%s"]}}""".formatted(UNKNOWN_ZONE, TOO_LARGE));
		bulkUpsert("""
				{"contacts": [
				  {"email_address": "b@x.com"},
				  {"email_address": "a@x.com", "attributes": %s}
				]}""".formatted(objectOfSize(16 * 1024 - 5))).is(422,
				fieldError("contacts[1].attributes", TOO_LARGE_MERGED));
		get("/v1/contacts/" + a).is(200, unchanged);
		assertThat(emailsOf("/v1/contacts")).containsExactly("a@x.com");
	}

	@Test
	void anotherCompanysContactOfTheSameEmailIsUntouched() {
		this.clock.set(Instant.parse(T0));
		Tenant other = newTenant();
		Response theirs = this.http.post("/v1/contacts", other.token(),
				"{\"email_address\": \"a@x.com\", \"attributes\": {\"plan\": \"free\"}, \"time_zone\": \"Asia/Tokyo\"}")
			.hasStatus(201);
		String mine = create("{\"email_address\": \"a@x.com\", \"attributes\": {\"plan\": \"free\"}}").hasStatus(201)
			.text("id");
		this.clock.set(Instant.parse(T1));
		bulkUpsert(
				"""
						{"contacts": [{"email_address": "a@x.com", "attributes": {"plan": null, "x": 1}, "time_zone": "UTC"}]}""")
			.is(200, "{\"created\": 0, \"updated\": 1}");
		patch(mine, "{\"attributes\": {\"y\": 2}}").hasStatus(200);
		this.http.patch("/v1/contacts/" + theirs.text("id"), this.tenant.token(), "{\"attributes\": {\"plan\": null}}")
			.is(404, NOT_FOUND);
		this.http.get("/v1/contacts/" + theirs.text("id"), other.token()).is(200, theirs.body());
		get("/v1/contacts/" + mine).is(200,
				contact(mine, "a@x.com", null, null, "active", "{\"x\": 1, \"y\": 2}", "UTC", T0, T1));
	}

	// bulk

	@Test
	void bulkUpsertsByNormalizedEmail() {
		this.clock.set(Instant.parse(T0));
		this.http.post("/v1/contacts/bulk", this.tenant.token(), """
				{"contacts": [
				  {"email_address": "a@x.com", "first_name": "A"},
				  {"email_address": " B@X.com ", "status": "inactive"},
				  {"email_address": "c@x.com", "last_name": "C"}
				]}""").is(200, "{\"created\": 3, \"updated\": 0}");
		String a = get("/v1/contacts?email_address=a@x.com").json().get("data").get(0).get("id").asString();
		String b = get("/v1/contacts?email_address=b@x.com").json().get("data").get(0).get("id").asString();
		this.clock.set(Instant.parse(T1));
		this.http.post("/v1/contacts/bulk", this.tenant.token(), """
				{"contacts": [
				  {"email_address": "A@x.com", "last_name": "Smith", "status": "inactive"},
				  {"email_address": "b@x.com", "status": "active"},
				  {"email_address": "d@x.com"}
				]}""").is(200, "{\"created\": 1, \"updated\": 2}");
		get("/v1/contacts/" + a).is(200, contact(a, "a@x.com", "A", "Smith", "inactive", T0, T1));
		get("/v1/contacts/" + b).is(200, contact(b, "b@x.com", null, null, "active", T0, T1));
		String d = get("/v1/contacts?email_address=d@x.com").json().get("data").get(0).get("id").asString();
		get("/v1/contacts/" + d).is(200, contact(d, "d@x.com", null, null, "active", T1, T1));
		assertThat(emailsOf("/v1/contacts")).containsExactlyInAnyOrder("a@x.com", "b@x.com", "c@x.com", "d@x.com");
	}

	@Test
	void bulkCountsAnEmailRepeatedInOneRequestOnce() {
		this.http.post("/v1/contacts/bulk", this.tenant.token(), """
				{"contacts": [{"email_address": "a@x.com"}, {"email_address": "A@x.com "}]}""")
			.is(200, "{\"created\": 1, \"updated\": 0}");
		assertThat(emailsOf("/v1/contacts")).containsExactly("a@x.com");
	}

	@Test
	void bulkIsAllOrNothing() {
		contacts(this.tenant, "active", "existing@x.com");
		this.http.post("/v1/contacts/bulk", this.tenant.token(), """
				{"contacts": [
				  {"email_address": "new1@x.com"},
				  {"email_address": "existing@x.com", "status": "inactive"},
				  {"email_address": "not an email"},
				  {"email_address": "new2@x.com"}
				]}""").is(422, fieldError("contacts[2].email_address", "is invalid"));
		this.http.post("/v1/contacts/bulk", this.tenant.token(), """
				{"contacts": [
				  {"email_address": "new1@x.com"},
				  {"email_address": "existing@x.com", "status": "inactive"},
				  {"status": "paused"}
				]}""").is(422, """
				{"error": {"contacts[2].email_address": ["can't be blank"],
				           "contacts[2].status": ["is not included in the list"]}}""");
		assertThat(emailsOf("/v1/contacts")).containsExactly("existing@x.com");
		assertThat(emailsOf("/v1/contacts?status=active")).containsExactly("existing@x.com");
	}

	@Test
	void bulkTakesUpTo10000Contacts() {
		this.http.post("/v1/contacts/bulk", this.tenant.token(), bulk(10_001, "u"))
			.is(422, fieldError("contacts", "is too long (maximum is 10000)"));
		assertThat(get("/v1/contacts?limit=1").json().get("size").asInt()).isZero();
		this.http.post("/v1/contacts/bulk", this.tenant.token(), bulk(10_000, "u"))
			.is(200, "{\"created\": 10000, \"updated\": 0}");
		this.http.post("/v1/contacts/bulk", this.tenant.token(), bulk(10_000, "u"))
			.is(200, "{\"created\": 0, \"updated\": 10000}");
	}

	@Test
	void bulkBodyIsValidated() {
		this.http.post("/v1/contacts/bulk", this.tenant.token(), "{}")
			.is(422, fieldError("contacts", "can't be blank"));
		this.http.post("/v1/contacts/bulk", this.tenant.token(), null)
			.is(422, fieldError("contacts", "can't be blank"));
		for (String value : List.of("\"a@x.com\"", "5", "[\"a@x.com\"]", "[{}, 1]")) {
			this.http.post("/v1/contacts/bulk", this.tenant.token(), "{\"contacts\": " + value + "}")
				.is(422, fieldError("contacts", "must be an array of objects"));
		}
		this.http.post("/v1/contacts/bulk", this.tenant.token(), "{\"contacts\": []}")
			.is(200, "{\"created\": 0, \"updated\": 0}");
	}

}
