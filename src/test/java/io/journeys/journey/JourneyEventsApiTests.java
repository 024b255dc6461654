package io.journeys.journey;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** A journey's trigger, goal, time zone and the graph its steps form, through the API. */
class JourneyEventsApiTests extends ApiTests {

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	@Test
	void triggerGoalAndTimeZoneAreSetShownAndCleared() {
		JsonNode created = this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "Cart", "trigger": {"event_name": "cart_created", "where": {"property": "total", "gt": 0}},
				 "goal": {"event_name": "purchased"}, "time_zone": "Europe/Paris"}
				""").hasStatus(201).json();
		assertThat(created.get("trigger").toString())
			.isEqualTo("{\"event_name\":\"cart_created\",\"where\":{\"property\":\"total\",\"gt\":0}}");
		assertThat(created.get("goal").toString()).isEqualTo("{\"event_name\":\"purchased\"}");
		assertThat(created.get("time_zone").asString()).isEqualTo("Europe/Paris");
		String id = created.get("id").asString();
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		JsonNode changed = this.http
			.patch("/v1/journeys/" + id, this.tenant.token(), "{\"goal\": null, \"time_zone\": null}")
			.hasStatus(200)
			.json();
		assertThat(changed.has("goal")).isFalse();
		assertThat(changed.has("time_zone")).isFalse();
		assertThat(changed.get("trigger").get("event_name").asString()).isEqualTo("cart_created");
		JsonNode read = this.http.get("/v1/journeys/" + id, this.tenant.token()).hasStatus(200).json();
		assertThat(read.get("trigger")).isEqualTo(changed.get("trigger"));
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"archived\"}").hasStatus(200);
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"trigger\": null}")
			.is(422, "{\"error\": {\"trigger\": [\"cannot change while the journey is archived\"]}}");
	}

	@Test
	void aJourneyWithoutTheNewFieldsShowsNoneOfThem() {
		JsonNode created = this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Plain\"}")
			.hasStatus(201)
			.json();
		assertThat(created.propertyNames()).containsExactly("object", "id", "name", "state", "created_at",
				"updated_at");
	}

	@Test
	void badTriggersGoalsAndZonesAreRefusedFieldByField() {
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "Bad", "trigger": {"where": {"property": "x", "equals": 1}}, "goal": "purchased",
				 "time_zone": "Mars/Olympus"}
				""")
			.is(422, "{\"error\": {\"trigger.event_name\": [\"can't be blank\"], \"goal\": [\"must be an object\"], "
					+ "\"time_zone\": [\"is not a known IANA time zone\"]}}");
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "Bad", "trigger": {"event_name": "x", "when": 1}}
				""").is(422, "{\"error\": {\"trigger.when\": [\"is not allowed\"]}}");
		this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Bad\", \"time_zone\": \"+02:00\"}")
			.is(422, "{\"error\": {\"time_zone\": [\"is not a known IANA time zone\"]}}");
		assertThat(walk("/v1/journeys", this.tenant.token())).isEmpty();
	}

	@Test
	void stepsFormAGraphWithoutUnknownTargetsCyclesOrStrandedSteps() {
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "G", "steps": [{"id": "a", "type": "wait", "duration": "PT1H", "next": "nowhere"}]}
				""").is(422, "{\"error\": {\"steps[0].next\": [\"does not name a step of this journey\"]}}");
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "G", "steps": [{"id": "a", "type": "wait", "duration": "PT1H"},
				 {"id": "b", "type": "wait", "duration": "PT1H", "next": "a"}]}
				""").is(422, "{\"error\": {\"steps[1].next\": [\"makes a cycle\"]}}");
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "G", "steps": [{"id": "a", "type": "wait", "duration": "PT1H", "next": "end"},
				 {"id": "b", "type": "wait", "duration": "PT1H"}]}
				""").is(422, "{\"error\": {\"steps[1]\": [\"is not reached by any path from the first step\"]}}");
		this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "G", "steps": [{"id": "end", "type": "wait", "duration": "PT1H"},
				 {"type": "wait_for_event", "timeout": "PT0S", "url": "https://x.com"},
				 {"type": "wait", "duration": "PT1H", "event_name": "x"}]}
				""")
			.is(422, "{\"error\": {\"steps[0].id\": [\"must be 1 to 64 letters, digits, _ or -, and not end\"], "
					+ "\"steps[1].url\": [\"must be blank for a wait_for_event step\"], "
					+ "\"steps[1].event_name\": [\"can't be blank\"], "
					+ "\"steps[1].timeout\": [\"must be at least 1 second\"], "
					+ "\"steps[2].event_name\": [\"must be blank for a wait step\"]}}");
		JsonNode made = this.http.post("/v1/journeys", this.tenant.token(), """
				{"name": "G", "steps": [{"id": "wait-1", "type": "wait_for_event", "event_name": "paid",
				  "timeout": "P3D", "timeout_next": "remind", "next": "end"},
				 {"id": "remind", "type": "webhook", "url": "https://example.com/remind"}]}
				""").hasStatus(201).json();
		assertThat(made.get("steps").get(0).toString()).isEqualTo("{\"id\":\"wait-1\",\"type\":\"wait_for_event\","
				+ "\"event_name\":\"paid\",\"timeout\":\"PT72H\",\"next\":\"end\",\"timeout_next\":\"remind\"}");
	}

}
