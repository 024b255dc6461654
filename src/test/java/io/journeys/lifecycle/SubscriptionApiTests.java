package io.journeys.lifecycle;

import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/subscriptions}: the contract of each endpoint, check order included. */
class SubscriptionApiTests extends ApiTests {

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	private Response create(String body) {
		return this.http.post("/v1/subscriptions", this.tenant.token(), body);
	}

	@Test
	void createAnswersTheSecretOnceAndGetShowsTheRest() {
		String journey = journey(this.tenant, "draft");
		Response created = create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": "
				+ "[\"enrollment.entered\", \"enrollment.exited\", \"enrollment.entered\"], \"journey_ids\": [\""
				+ journey + "\"]}")
			.hasStatus(201);
		String id = created.text("id");
		String secret = created.text("secret");
		assertThat(secret).startsWith("whsec_");
		assertThat(java.util.Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(24);
		String createdAt = created.text("created_at");
		created.is(201, """
				{"object": "subscription", "id": "%s", "url": "https://hooks.example.com/in",
				 "event_types": ["enrollment.entered", "enrollment.exited"], "journey_ids": ["%s"],
				 "secret": "%s", "created_at": "%s"}
				""".formatted(id, journey, secret, createdAt));
		String view = """
				{"object": "subscription", "id": "%s", "url": "https://hooks.example.com/in",
				 "event_types": ["enrollment.entered", "enrollment.exited"], "journey_ids": ["%s"],
				 "created_at": "%s"}
				""".formatted(id, journey, createdAt);
		this.http.get("/v1/subscriptions/" + id, this.tenant.token()).is(200, view);
		this.http.get("/v1/subscriptions", this.tenant.token()).is(200, onePage(50, view));
	}

	@Test
	void withoutJourneyIdsItIsForEveryJourney() {
		Response created = create(
				"{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"destination.paused\"]}")
			.hasStatus(201);
		assertThat(created.json().get("journey_ids").isNull()).isTrue();
	}

	@Test
	void deleteRemovesItAndItsDeliveries() {
		String id = create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"]}")
			.text("id");
		this.http.delete("/v1/subscriptions/" + id, this.tenant.token()).hasStatus(204);
		this.http.get("/v1/subscriptions/" + id, this.tenant.token())
			.is(404, "{\"error\": \"Subscription not found\"}");
		this.http.delete("/v1/subscriptions/" + id, this.tenant.token())
			.is(404, "{\"error\": \"Subscription not found\"}");
	}

	@Test
	void anotherCompanysSubscriptionIsNotFound() {
		String id = create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"]}")
			.text("id");
		Tenant other = newTenant();
		for (String path : new String[] { "", "/deliveries" }) {
			this.http.get("/v1/subscriptions/" + id + path, other.token())
				.is(404, "{\"error\": \"Subscription not found\"}");
		}
		this.http.post("/v1/subscriptions/" + id + "/replay", other.token(), "{\"since\": \"2026-01-01T00:00:00Z\"}")
			.is(404, "{\"error\": \"Subscription not found\"}");
		this.http.delete("/v1/subscriptions/" + id, other.token()).is(404, "{\"error\": \"Subscription not found\"}");
		this.http.get("/v1/subscriptions", other.token()).is(200, onePage(50));
		this.http.get("/v1/subscriptions/not-an-id", this.tenant.token())
			.is(404, "{\"error\": \"Subscription not found\"}");
	}

	@Test
	void typeErrorsComeFirst() {
		create("{\"url\": 5, \"event_types\": \"enrollment.entered\", \"journey_ids\": [1]}").is(422, """
				{"error": {"url": ["must be a string"],
				 "event_types": ["must be an array of strings"], "journey_ids": ["must be an array of strings"]}}
				""");
	}

	@Test
	void eachFieldIsCheckedBeforeTheJourneysAreLookedUp() {
		create("{\"journey_ids\": [\"" + UUID.randomUUID() + "\"]}").is(422, """
				{"error": {"url": ["can't be blank"], "event_types": ["can't be blank"]}}
				""");
		create("{\"url\": \"ftp://x\", \"event_types\": [\"enrollment.entered\", \"enrollment.left\"], "
				+ "\"journey_ids\": []}")
			.is(422, """
					{"error": {"url": ["is invalid"],
					 "event_types[1]": ["is not included in the list"], "journey_ids": ["can't be blank"]}}
					""");
	}

	@Test
	void journeysOfAnotherCompanyOrNoneAreRefusedOnTheirEntry() {
		String mine = journey(this.tenant, "draft");
		String theirs = journey(newTenant(), "draft");
		create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"], "
				+ "\"journey_ids\": [\"" + mine + "\", \"" + theirs + "\", \"nope\"]}")
			.is(422, """
					{"error": {"journey_ids[2]": ["does not name a journey"]}}
					""");
		create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"], "
				+ "\"journey_ids\": [\"" + mine + "\", \"" + theirs + "\"]}")
			.is(422, """
					{"error": {"journey_ids[1]": ["does not name a journey"]}}
					""");
		create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"], "
				+ "\"journey_ids\": [\"" + mine + "\", \"" + mine + "\", \"" + theirs + "\"]}")
			.is(422, """
					{"error": {"journey_ids[2]": ["does not name a journey"]}}
					""");
		this.http.get("/v1/subscriptions", this.tenant.token()).is(200, onePage(50));
	}

	@Test
	void aReplaySinceBefore1970StartsBelowEveryId() {
		assertThat(io.journeys.persistence.IdBlock.firstAt(java.time.Instant.parse("1900-01-01T00:00:00Z")))
			.isEqualTo(new java.util.UUID(0, 0));
		assertThat(io.journeys.persistence.IdBlock.firstAt(java.time.Instant.ofEpochMilli(1)))
			.isEqualTo(new java.util.UUID(1L << 16, 0));
	}

	@Test
	void replayNeedsASinceWithAnOffset() {
		String id = create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"]}")
			.text("id");
		this.http.post("/v1/subscriptions/" + id + "/replay", this.tenant.token(), "{}")
			.is(422, "{\"error\": {\"since\": [\"can't be blank\"]}}");
		this.http.post("/v1/subscriptions/" + id + "/replay", this.tenant.token(), "{\"since\": \"2026-01-01\"}")
			.is(422, "{\"error\": {\"since\": " + "[\"must be an ISO-8601 time with a zone offset\"]}}");
		this.http
			.post("/v1/subscriptions/" + id + "/replay", this.tenant.token(), "{\"since\": \"2026-01-01T00:00:00Z\"}")
			.is(200, "{\"replayed\": 0}");
	}

	@Test
	void anEmptyDeliveryLogIsAnEmptyPage() {
		String id = create("{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"]}")
			.text("id");
		JsonNode page = this.http.get("/v1/subscriptions/" + id + "/deliveries", this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(page.get("data").size()).isZero();
	}

}
