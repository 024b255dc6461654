package io.journeys.journey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/journeys}, line by line of management.md, over real HTTP. */
class JourneyApiTests extends ApiTests {

	private static final String T0 = "2026-05-01T12:00:00.000001Z";

	private static final String T1 = "2026-05-01T13:00:00Z";

	private static final String T2 = "2026-05-02T00:00:00.250Z";

	private static final String NOT_FOUND = "{\"error\": \"Journey not found\"}";

	private static final List<String> STATES = List.of("draft", "on", "off", "archived");

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	private Response create(String body) {
		return this.http.post("/v1/journeys", this.tenant.token(), body);
	}

	private Response get(String path) {
		return this.http.get(path, this.tenant.token());
	}

	private Response patch(String id, String body) {
		return this.http.patch("/v1/journeys/" + id, this.tenant.token(), body);
	}

	private static String journeyJson(String id, String name, String state, String createdAt, String updatedAt) {
		return """
				{"object": "journey", "id": "%s", "name": "%s", "state": "%s", "created_at": "%s", "updated_at": "%s"}
				""".formatted(id, name, state, createdAt, updatedAt);
	}

	private static String fieldError(String field, String message) {
		return "{\"error\": {\"" + field + "\": [\"" + message + "\"]}}";
	}

	private static String refused(String from, String to) {
		return fieldError("state", "cannot change from " + from + " to " + to);
	}

	/** A journey brought to {@code state} at {@link #T0} through allowed changes only. */
	private String journeyIn(String state) {
		this.clock.set(Instant.parse(T0));
		String id = create("{\"name\": \"Onboarding\"}").hasStatus(201).text("id");
		switch (state) {
			case "on" -> patch(id, "{\"state\": \"on\"}").hasStatus(200);
			case "off" -> {
				patch(id, "{\"state\": \"on\"}").hasStatus(200);
				patch(id, "{\"state\": \"off\"}").hasStatus(200);
			}
			case "archived" -> patch(id, "{\"state\": \"archived\"}").hasStatus(200);
			default -> {
			}
		}
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Onboarding", state, T0, T0));
		return id;
	}

	// create, read, list

	@Test
	void newJourneysStartInDraft() {
		this.clock.set(Instant.parse(T0));
		Response created = create("{\"name\": \"Welcome series\"}");
		String id = created.text("id");
		created.is(201, journeyJson(id, "Welcome series", "draft", T0, T0));
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Welcome series", "draft", T0, T0));
		// a state in the create body does not skip draft
		Response asked = create("{\"name\": \"Eager\", \"state\": \"on\"}");
		asked.is(201, journeyJson(asked.text("id"), "Eager", "draft", T0, T0));
	}

	@Test
	void aSplitsWeightIsAnInteger() {
		String split = "{\"name\": \"Split\", \"steps\": [{\"type\": \"split\", \"paths\": "
				+ "[{\"weight\": %s, \"next\": \"end\"}, {\"weight\": 1, \"next\": \"end\"}]}]}";
		for (String value : List.of("\"2\"", "1.5", "true", "4294967297")) {
			create(split.formatted(value)).is(422, fieldError("steps[0].paths[0].weight", "must be an integer"));
		}
		create(split.formatted("101")).is(422, fieldError("steps[0].paths[0].weight", "must be from 1 to 100"));
		create(split.formatted("3")).hasStatus(201);
	}

	@Test
	void createIsValidated() {
		String blank = fieldError("name", "can't be blank");
		for (String body : List.of("{}", "{\"name\": \"\"}", "{\"name\": \"  \"}", "{\"name\": null}")) {
			create(body).is(422, blank);
		}
		this.http.post("/v1/journeys", this.tenant.token(), null).is(422, blank);
		for (String value : List.of("1", "true", "[\"x\"]", "{}")) {
			create("{\"name\": " + value + "}").is(422, fieldError("name", "must be a string"));
		}
		create("{\"name\": \"" + "j".repeat(256) + "\"}").is(422,
				fieldError("name", "is too long (maximum is 255 characters)"));
		create("{\"name\": \"  Trimmed \"}").hasStatus(201);
		assertThat(get("/v1/journeys").json().get("data").get(0).get("name").asString()).isEqualTo("Trimmed");
	}

	@Test
	void listsJourneysOldestFirstFilteredByState() {
		String draft = journeyIn("draft");
		String on = journeyIn("on");
		String off = journeyIn("off");
		String archived = journeyIn("archived");
		// equal created_at: the order is still total (by id)
		List<String> all = walk("/v1/journeys?limit=1", this.tenant.token()).stream()
			.map(row -> row.get("id").asString())
			.toList();
		assertThat(all).containsExactlyInAnyOrder(draft, on, off, archived).doesNotHaveDuplicates();
		get("/v1/journeys?state=on").is(200, onePage(50, journeyJson(on, "Onboarding", "on", T0, T0)));
		get("/v1/journeys?state=off").is(200, onePage(50, journeyJson(off, "Onboarding", "off", T0, T0)));
		get("/v1/journeys?state=draft").is(200, onePage(50, journeyJson(draft, "Onboarding", "draft", T0, T0)));
		get("/v1/journeys?state=archived").is(200,
				onePage(50, journeyJson(archived, "Onboarding", "archived", T0, T0)));
		for (String state : List.of("paused", "ON", "")) {
			get("/v1/journeys?state=" + state).is(422, fieldError("state", "is not included in the list"));
		}
		// another company sees none of them
		this.http.get("/v1/journeys", newTenant().token()).is(200, onePage(50));
	}

	@Test
	void listingIsPaginatedAndNextKeepsTheStateFilter() {
		List<String> on = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			on.add(journeyIn("on"));
		}
		journeyIn("draft");
		Response first = get("/v1/journeys?state=on&limit=2").hasStatus(200);
		assertThat(first.json().get("size").asInt()).isEqualTo(2);
		assertThat(first.json().get("has_more").asBoolean()).isTrue();
		assertThat(first.text("next")).startsWith("/v1/journeys?");
		assertThat(queryOf(first.text("next"))).containsEntry("state", "on")
			.containsEntry("limit", "2")
			.containsKey("cursor");
		assertThat(walk("/v1/journeys?state=on&limit=2", this.tenant.token()).stream()
			.map(row -> row.get("id").asString())
			.toList()).containsExactlyInAnyOrderElementsOf(on).doesNotHaveDuplicates();
		assertThat(get("/v1/journeys").json().get("limit").asInt()).isEqualTo(50);
		get("/v1/journeys?limit=101").is(422, fieldError("limit", "must be between 1 and 100"));
		get("/v1/journeys?limit=0").is(422, fieldError("limit", "must be between 1 and 100"));
		get("/v1/journeys?limit=ten").is(422, fieldError("limit", "must be an integer between 1 and 100"));
	}

	// patch

	@Test
	void renames() {
		String id = journeyIn("on");
		this.clock.set(Instant.parse(T1));
		patch(id, "{\"name\": \"Renamed\"}").is(200, journeyJson(id, "Renamed", "on", T0, T1));
		this.clock.set(Instant.parse(T2));
		patch(id, "{\"name\": \" Both \", \"state\": \"off\"}").is(200, journeyJson(id, "Both", "off", T0, T2));
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Both", "off", T0, T2));
		patch(id, "{\"name\": \" \"}").is(422, fieldError("name", "can't be blank"));
		patch(id, "{\"name\": 3}").is(422, fieldError("name", "must be a string"));
		// an empty patch and null fields change nothing
		patch(id, "{}").is(200, journeyJson(id, "Both", "off", T0, T2));
		patch(id, "{\"name\": null, \"state\": null}").is(200, journeyJson(id, "Both", "off", T0, T2));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "draft, on", "on, off", "off, on", "draft, archived", "on, archived", "off, archived" })
	void allowedChanges(String from, String to) {
		String id = journeyIn(from);
		this.clock.set(Instant.parse(T1));
		patch(id, "{\"state\": \"" + to + "\"}").is(200, journeyJson(id, "Onboarding", to, T0, T1));
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Onboarding", to, T0, T1));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "draft, off", "on, draft", "off, draft", "archived, draft", "archived, on", "archived, off" })
	void refusedChanges(String from, String to) {
		String id = journeyIn(from);
		this.clock.set(Instant.parse(T1));
		patch(id, "{\"state\": \"" + to + "\"}").is(422, refused(from, to));
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Onboarding", from, T0, T0));
	}

	@Test
	void everyPairOfStatesIsAllowedOrRefusedExactly() {
		List<String> allowed = List.of("draft>on", "on>off", "off>on", "draft>archived", "on>archived", "off>archived");
		for (String from : STATES) {
			for (String to : STATES) {
				String id = journeyIn(from);
				this.clock.set(Instant.parse(T1));
				Response response = patch(id, "{\"state\": \"" + to + "\"}");
				if (from.equals(to)) {
					response.is(200, journeyJson(id, "Onboarding", from, T0, T0));
				}
				else if (allowed.contains(from + ">" + to)) {
					response.is(200, journeyJson(id, "Onboarding", to, T0, T1));
				}
				else {
					response.is(422, refused(from, to));
				}
			}
		}
	}

	@Test
	void archivedIsFinal() {
		String id = journeyIn("archived");
		this.clock.set(Instant.parse(T1));
		for (String to : List.of("draft", "on", "off")) {
			patch(id, "{\"state\": \"" + to + "\"}").is(422, refused("archived", to));
		}
		patch(id, "{\"state\": \"archived\"}").is(200, journeyJson(id, "Onboarding", "archived", T0, T0));
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Onboarding", "archived", T0, T0));
	}

	@Test
	void askingForTheCurrentStateChangesNothing() {
		for (String state : STATES) {
			String id = journeyIn(state);
			this.clock.set(Instant.parse(T1));
			patch(id, "{\"state\": \"" + state + "\"}").is(200, journeyJson(id, "Onboarding", state, T0, T0));
			patch(id, "{\"state\": \"" + state + "\"}").is(200, journeyJson(id, "Onboarding", state, T0, T0));
		}
	}

	@Test
	void aRefusedChangeKeepsTheNameToo() {
		String id = journeyIn("draft");
		this.clock.set(Instant.parse(T1));
		patch(id, "{\"name\": \"New name\", \"state\": \"off\"}").is(422, refused("draft", "off"));
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Onboarding", "draft", T0, T0));
	}

	@Test
	void anInvalidStateValueIs422() {
		String id = journeyIn("on");
		for (String state : List.of("paused", "ON", "", " on", "deleted")) {
			patch(id, "{\"state\": \"" + state + "\"}").is(422, fieldError("state", "is not included in the list"));
		}
		for (String value : List.of("1", "true", "[\"on\"]")) {
			patch(id, "{\"state\": " + value + "}").is(422, fieldError("state", "must be a string"));
		}
		patch(id, "{\"name\": \"\", \"state\": \"paused\"}").is(422, """
				{"error": {"name": ["can't be blank"], "state": ["is not included in the list"]}}""");
		get("/v1/journeys/" + id).is(200, journeyJson(id, "Onboarding", "on", T0, T0));
	}

	@Test
	void unknownMalformedAndForeignJourneysAre404() {
		Tenant other = newTenant();
		String foreign = this.http.post("/v1/journeys", other.token(), "{\"name\": \"Theirs\"}")
			.hasStatus(201)
			.text("id");
		for (String id : List.of(foreign, UUID.randomUUID().toString(), "nope", "1", "%20", "draft")) {
			get("/v1/journeys/" + id).is(404, NOT_FOUND);
			patch(id, "{\"state\": \"on\"}").is(404, NOT_FOUND);
			patch(id, "{\"name\": \"Mine now\"}").is(404, NOT_FOUND);
		}
		Response theirs = this.http.get("/v1/journeys/" + foreign, other.token()).hasStatus(200);
		assertThat(theirs.text("state")).isEqualTo("draft");
		assertThat(theirs.text("name")).isEqualTo("Theirs");
	}

}
