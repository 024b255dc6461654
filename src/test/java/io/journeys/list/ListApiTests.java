package io.journeys.list;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/lists} and their members, line by line of management.md, over real HTTP. */
class ListApiTests extends ApiTests {

	private static final String T0 = "2026-04-01T08:00:00.654321Z";

	private static final String T1 = "2026-04-02T09:10:11Z";

	private static final String NOT_FOUND = "{\"error\": \"List not found\"}";

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	private Response create(String body) {
		return this.http.post("/v1/lists", this.tenant.token(), body);
	}

	private Response get(String path) {
		return this.http.get(path, this.tenant.token());
	}

	private Response addMembers(String listId, String... emails) {
		return this.http.post("/v1/lists/" + listId + "/members", this.tenant.token(),
				"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}");
	}

	private Response removeMembers(String listId, String... emails) {
		return this.http.delete("/v1/lists/" + listId + "/members", this.tenant.token(),
				"{\"contact_email_addresses\": " + jsonArray(List.of(emails)) + "}");
	}

	private static String listJson(String id, String name, String email, int members, String createdAt,
			String updatedAt) {
		return """
				{"object": "list", "id": "%s", "name": "%s", "email_address": "%s", "memberships_count": %d,
				 "created_at": "%s", "updated_at": "%s"}
				""".formatted(id, name, email, members, createdAt, updatedAt);
	}

	private static String fieldError(String field, String message) {
		return "{\"error\": {\"" + field + "\": [\"" + message + "\"]}}";
	}

	private static String added(int count, String notFound) {
		return "{\"added_count\": " + count + ", \"not_found\": " + notFound + "}";
	}

	private int membershipsCount(String listId) {
		return get("/v1/lists/" + listId).hasStatus(200).json().get("memberships_count").asInt();
	}

	private List<String> memberEmails(String listId, int limit) {
		return walk("/v1/lists/" + listId + "/members?limit=" + limit, this.tenant.token()).stream()
			.map(contact -> contact.get("email_address").asString())
			.toList();
	}

	// create, read, update, delete

	@Test
	void createsAListWithItsEmailNormalized() {
		this.clock.set(Instant.parse(T0));
		Response created = create("{\"name\": \"Team\", \"email_address\": \" Team@Company.COM\\u00a0\"}");
		String id = created.text("id");
		created.is(201, listJson(id, "Team", "team@company.com", 0, T0, T0));
		get("/v1/lists/" + id).is(200, listJson(id, "Team", "team@company.com", 0, T0, T0));
	}

	@Test
	void createIsValidated() {
		create("{}").is(422, """
				{"error": {"email_address": ["can't be blank"], "name": ["can't be blank"]}}""");
		this.http.post("/v1/lists", this.tenant.token(), null).is(422, """
				{"error": {"email_address": ["can't be blank"], "name": ["can't be blank"]}}""");
		create("{\"name\": \"  \", \"email_address\": \"team@company.com\"}").is(422,
				fieldError("name", "can't be blank"));
		create("{\"name\": 5, \"email_address\": \"team@company.com\"}").is(422,
				fieldError("name", "must be a string"));
		create("{\"name\": \"" + "n".repeat(256) + "\", \"email_address\": \"team@company.com\"}").is(422,
				fieldError("name", "is too long (maximum is 255 characters)"));
		for (String email : List.of("not an email", "team", "a@b@c")) {
			create("{\"name\": \"Team\", \"email_address\": \"" + email + "\"}").is(422,
					fieldError("email_address", "is invalid"));
		}
		create("{\"name\": \"Team\", \"email_address\": \" \"}").is(422, fieldError("email_address", "can't be blank"));
		create("{\"name\": \"Team\", \"email_address\": [\"team@company.com\"]}").is(422,
				fieldError("email_address", "must be a string"));
		get("/v1/lists").is(200, onePage(50));
	}

	@Test
	void listEmailsNeedNotBeUnique() {
		this.clock.set(Instant.parse(T0));
		String first = create("{\"name\": \"One\", \"email_address\": \"team@company.com\"}").hasStatus(201).text("id");
		this.clock.set(Instant.parse(T1));
		String second = create("{\"name\": \"Two\", \"email_address\": \"TEAM@company.com\"}").hasStatus(201)
			.text("id");
		assertThat(second).isNotEqualTo(first);
		get("/v1/lists?email_address=" + encode(" Team@Company.com ")).is(200,
				onePage(50, listJson(first, "One", "team@company.com", 0, T0, T0),
						listJson(second, "Two", "team@company.com", 0, T1, T1)));
	}

	@Test
	void listsListsOldestFirstWithTheirMembershipsCount() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		this.clock.set(Instant.parse(T0));
		String team = create("{\"name\": \"Team\", \"email_address\": \"team@company.com\"}").hasStatus(201).text("id");
		this.clock.set(Instant.parse(T1));
		String empty = create("{\"name\": \"Empty\", \"email_address\": \"empty@company.com\"}").hasStatus(201)
			.text("id");
		addMembers(team, "a@x.com", "b@x.com").is(200, added(2, "[]"));
		get("/v1/lists").is(200, onePage(50, listJson(team, "Team", "team@company.com", 2, T0, T0),
				listJson(empty, "Empty", "empty@company.com", 0, T1, T1)));
		get("/v1/lists?email_address=empty@company.com").is(200,
				onePage(50, listJson(empty, "Empty", "empty@company.com", 0, T1, T1)));
		get("/v1/lists?email_address=nobody@company.com").is(200, onePage(50));
		// another company sees none of them
		this.http.get("/v1/lists", newTenant().token()).is(200, onePage(50));
	}

	@Test
	void listingIsPaginatedAndNextKeepsTheEmailFilter() {
		this.clock.set(Instant.parse(T0));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(create("{\"name\": \"L" + i + "\", \"email_address\": \"same@company.com\"}").hasStatus(201)
				.text("id"));
		}
		create("{\"name\": \"Other\", \"email_address\": \"other@company.com\"}").hasStatus(201);
		JsonNode page = get("/v1/lists?email_address=SAME@company.com&limit=2").hasStatus(200).json();
		assertThat(page.get("has_more").asBoolean()).isTrue();
		assertThat(page.get("next").asString()).startsWith("/v1/lists?");
		assertThat(queryOf(page.get("next").asString())).containsEntry("email_address", "same@company.com")
			.containsEntry("limit", "2")
			.containsKey("cursor");
		List<String> walked = walk("/v1/lists?email_address=SAME@company.com&limit=2", this.tenant.token()).stream()
			.map(row -> row.get("id").asString())
			.toList();
		assertThat(walked).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
		assertThat(walk("/v1/lists?limit=1", this.tenant.token())).hasSize(6);
		get("/v1/lists?limit=0").is(422, fieldError("limit", "must be between 1 and 100"));
		get("/v1/lists?limit=101").is(422, fieldError("limit", "must be between 1 and 100"));
		get("/v1/lists?limit=abc").is(422, fieldError("limit", "must be an integer between 1 and 100"));
		get("/v1/lists?cursor=nope").is(422, fieldError("cursor", "is invalid"));
		assertThat(get("/v1/lists").json().get("limit").asInt()).isEqualTo(50);
	}

	@Test
	void patchesNameAndEmail() {
		this.clock.set(Instant.parse(T0));
		String id = create("{\"name\": \"Team\", \"email_address\": \"team@company.com\"}").hasStatus(201).text("id");
		this.clock.set(Instant.parse(T1));
		this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"name\": \"Crew\"}")
			.is(200, listJson(id, "Crew", "team@company.com", 0, T0, T1));
		this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"email_address\": \" CREW@Company.com \"}")
			.is(200, listJson(id, "Crew", "crew@company.com", 0, T0, T1));
		this.http
			.patch("/v1/lists/" + id, this.tenant.token(),
					"{\"name\": \"All\", \"email_address\": \"all@company.com\"}")
			.is(200, listJson(id, "All", "all@company.com", 0, T0, T1));
		get("/v1/lists/" + id).is(200, listJson(id, "All", "all@company.com", 0, T0, T1));
		assertThat(get("/v1/lists?email_address=all@company.com").json().get("size").asInt()).isEqualTo(1);
		assertThat(get("/v1/lists?email_address=team@company.com").json().get("size").asInt()).isZero();
	}

	@Test
	void anInvalidPatchIs422AndChangesNothing() {
		this.clock.set(Instant.parse(T0));
		String id = create("{\"name\": \"Team\", \"email_address\": \"team@company.com\"}").hasStatus(201).text("id");
		this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"name\": \"Crew\", \"email_address\": \"nope\"}")
			.is(422, fieldError("email_address", "is invalid"));
		this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"name\": \" \"}")
			.is(422, fieldError("name", "can't be blank"));
		this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"email_address\": \"\"}")
			.is(422, fieldError("email_address", "can't be blank"));
		this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"name\": 1}")
			.is(422, fieldError("name", "must be a string"));
		get("/v1/lists/" + id).is(200, listJson(id, "Team", "team@company.com", 0, T0, T0));
	}

	@Test
	void deleteRemovesTheListButNotItsContacts() {
		contacts(this.tenant, "active", "a@x.com");
		String id = list(this.tenant, "team@company.com", "a@x.com");
		Response deleted = this.http.delete("/v1/lists/" + id, this.tenant.token()).hasStatus(204);
		assertThat(deleted.body()).isEmpty();
		get("/v1/lists/" + id).is(404, NOT_FOUND);
		get("/v1/lists/" + id + "/members").is(404, NOT_FOUND);
		this.http.delete("/v1/lists/" + id, this.tenant.token()).is(404, NOT_FOUND);
		get("/v1/lists").is(200, onePage(50));
		assertThat(get("/v1/contacts").json().get("size").asInt()).isEqualTo(1);
	}

	@Test
	void unknownMalformedAndForeignListsAre404() {
		Tenant other = newTenant();
		contacts(other, "active", "a@x.com");
		contacts(this.tenant, "active", "a@x.com");
		String foreign = list(other, "team@company.com", "a@x.com");
		String members = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		for (String id : List.of(foreign, UUID.randomUUID().toString(), "nope", "7", "team@company.com", "%20")) {
			get("/v1/lists/" + id).is(404, NOT_FOUND);
			this.http.patch("/v1/lists/" + id, this.tenant.token(), "{\"name\": \"Mine\"}").is(404, NOT_FOUND);
			this.http.delete("/v1/lists/" + id, this.tenant.token()).is(404, NOT_FOUND);
			this.http.post("/v1/lists/" + id + "/members", this.tenant.token(), members).is(404, NOT_FOUND);
			this.http.delete("/v1/lists/" + id + "/members", this.tenant.token(), members).is(404, NOT_FOUND);
			get("/v1/lists/" + id + "/members").is(404, NOT_FOUND);
		}
		// the other company's list was not touched
		this.http.get("/v1/lists/" + foreign, other.token()).hasStatus(200);
		assertThat(this.http.get("/v1/lists/" + foreign, other.token()).json().get("memberships_count").asInt())
			.isEqualTo(1);
	}

	// members

	@Test
	void addsMembersAndReportsUnknownEmailsSortedOnce() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		contacts(this.tenant, "inactive", "sleepy@x.com");
		Tenant other = newTenant();
		contacts(other, "active", "theirs@x.com");
		String id = list(this.tenant, "team@company.com");
		addMembers(id, " A@x.com", "b@X.COM", "sleepy@x.com", "zed@x.com", "Ghost@x.com", "theirs@x.com", "ghost@x.com",
				"", "   ", "not an email")
			.is(200, added(3, "[\"ghost@x.com\", \"not an email\", \"theirs@x.com\", \"zed@x.com\"]"));
		assertThat(membershipsCount(id)).isEqualTo(3);
		assertThat(memberEmails(id, 50)).containsExactlyInAnyOrder("a@x.com", "b@x.com", "sleepy@x.com");
	}

	@Test
	void notFoundIsSortedByCodePoint() {
		String id = list(this.tenant, "team@company.com");
		List<String> sent = List.of("z@x.com", "\u00c9@x.com", "\u00e92@x.com", "\ud83d\ude00@x.com", "\uff21@x.com",
				"Zz@x.com", "_@x.com", "0@x.com");
		List<String> expected = new ArrayList<>(sent.stream().map(e -> e.toLowerCase(java.util.Locale.ROOT)).toList());
		expected.sort((a, b) -> java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
		assertThat(expected).containsExactly("0@x.com", "_@x.com", "z@x.com", "zz@x.com", "\u00e92@x.com",
				"\u00e9@x.com", "\uff41@x.com", "\ud83d\ude00@x.com");
		Response response = addMembers(id, sent.toArray(String[]::new)).hasStatus(200);
		List<String> notFound = new ArrayList<>();
		response.json().get("not_found").forEach(email -> notFound.add(email.asString()));
		assertThat(notFound).containsExactlyElementsOf(expected);
	}

	@Test
	void addingExistingMembersIsNoError() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		String id = list(this.tenant, "team@company.com", "a@x.com", "b@x.com");
		addMembers(id, "a@x.com", "B@x.com").is(200, added(0, "[]"));
		addMembers(id, "a@x.com", "c@x.com", "c@x.com").is(200, added(1, "[]"));
		assertThat(membershipsCount(id)).isEqualTo(3);
		addMembers(id).is(200, added(0, "[]"));
	}

	@Test
	void aContactCanBelongToSeveralListsEvenWithTheSameEmail() {
		contacts(this.tenant, "active", "a@x.com");
		String one = list(this.tenant, "team@company.com", "a@x.com");
		String two = list(this.tenant, "team@company.com", "a@x.com");
		assertThat(membershipsCount(one)).isEqualTo(1);
		assertThat(membershipsCount(two)).isEqualTo(1);
	}

	@Test
	void removesMembers() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		String id = list(this.tenant, "team@company.com", "a@x.com", "b@x.com");
		String other = list(this.tenant, "other@company.com", "a@x.com");
		removeMembers(id, " A@X.com", "c@x.com", "ghost@x.com", "a@x.com").is(200, "{\"removed_count\": 1}");
		assertThat(memberEmails(id, 50)).containsExactly("b@x.com");
		assertThat(membershipsCount(id)).isEqualTo(1);
		// other lists keep the contact, and the contact stays
		assertThat(memberEmails(other, 50)).containsExactly("a@x.com");
		assertThat(get("/v1/contacts?email_address=a@x.com").json().get("size").asInt()).isEqualTo(1);
		removeMembers(id, "a@x.com").is(200, "{\"removed_count\": 0}");
		removeMembers(id).is(200, "{\"removed_count\": 0}");
	}

	@Test
	void memberBodiesAreValidated() {
		String id = list(this.tenant, "team@company.com");
		String blank = fieldError("contact_email_addresses", "can't be blank");
		String notStrings = fieldError("contact_email_addresses", "must be an array of strings");
		for (String method : List.of("POST", "DELETE")) {
			this.http.send(method, "/v1/lists/" + id + "/members", this.tenant.token(), "{}", "application/json")
				.is(422, blank);
			this.http.send(method, "/v1/lists/" + id + "/members", this.tenant.token(), null, null).is(422, blank);
			for (String value : List.of("\"a@x.com\"", "5", "[1]", "[null]", "{}")) {
				this.http
					.send(method, "/v1/lists/" + id + "/members", this.tenant.token(),
							"{\"contact_email_addresses\": " + value + "}", "application/json")
					.is(422, notStrings);
			}
			String tooMany = "{\"contact_email_addresses\": " + jsonArray(Collections.nCopies(10_001, "a@x.com")) + "}";
			this.http.send(method, "/v1/lists/" + id + "/members", this.tenant.token(), tooMany, "application/json")
				.is(422, fieldError("contact_email_addresses", "is too long (maximum is 10000)"));
		}
	}

	@Test
	void upTo10000EmailsPerCall() {
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			emails.add("m" + i + "@x.com");
		}
		contacts(this.tenant, "active", emails.subList(0, 5000).toArray(String[]::new));
		String id = list(this.tenant, "team@company.com");
		Response response = addMembers(id, emails.toArray(String[]::new)).hasStatus(200);
		assertThat(response.json().get("added_count").asInt()).isEqualTo(5000);
		assertThat(response.json().get("not_found").size()).isEqualTo(5000);
		List<String> notFound = new ArrayList<>();
		response.json().get("not_found").forEach(email -> notFound.add(email.asString()));
		List<String> sorted = new ArrayList<>(notFound);
		Collections.sort(sorted);
		assertThat(notFound).isEqualTo(sorted);
		assertThat(membershipsCount(id)).isEqualTo(5000);
		removeMembers(id, emails.toArray(String[]::new)).is(200, "{\"removed_count\": 5000}");
	}

	@Test
	void membersAreListedAsContactsPageByPage() {
		this.clock.set(Instant.parse(T0));
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com", "d@x.com");
		this.clock.advance(Duration.ofSeconds(1));
		contacts(this.tenant, "inactive", "e@x.com");
		contacts(this.tenant, "active", "outsider@x.com");
		String id = list(this.tenant, "team@company.com", "a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com");
		List<String> walked = memberEmails(id, 2);
		assertThat(walked).hasSize(5).doesNotHaveDuplicates();
		assertThat(walked).containsExactlyInAnyOrder("a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com");
		JsonNode first = get("/v1/lists/" + id + "/members?limit=2").hasStatus(200).json();
		assertThat(first.get("next").asString()).startsWith("/v1/lists/" + id + "/members?");
		assertThat(queryOf(first.get("next").asString())).containsEntry("limit", "2").containsKey("cursor");
		JsonNode contact = first.get("data").get(0);
		String contactId = contact.get("id").asString();
		get("/v1/contacts/" + contactId).is(200, contact.toString());
		assertThat(contact.get("object").asString()).isEqualTo("contact");
		// a lone member, exactly
		String solo = list(this.tenant, "solo@company.com", "e@x.com");
		String e = get("/v1/contacts?email_address=e@x.com").json().get("data").get(0).toString();
		get("/v1/lists/" + solo + "/members").is(200, onePage(50, e));
		get("/v1/lists/" + solo + "/members?limit=0").is(422, fieldError("limit", "must be between 1 and 100"));
		get("/v1/lists/" + solo + "/members?limit=x").is(422,
				fieldError("limit", "must be an integer between 1 and 100"));
	}

}
