package io.journeys.web;

import java.io.IOException;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.journeys.event.EventEffects;
import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API description, {@code docs/openapi.json}, written by hand and served as is: open
 * without a key, every operation and field described, the same routes as the controllers,
 * the same request fields and limits as the request records, and real answers valid
 * against it.
 */
class OpenApiTests extends ApiTests {

	static final Path DOCUMENT = Path.of("docs", "openapi.json");

	/** Where the validator believes the description lives; nothing is fetched from it. */
	private static final String BASE = "https://journeys.invalid/openapi.json";

	private static final String ENROLL = "/v1/journeys/{id}/enroll";

	/** The application's Jackson naming. */
	private static final PropertyNamingStrategy NAMING = PropertyNamingStrategies.SNAKE_CASE;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	private RequestMappingHandlerMapping handlers;

	@Autowired
	private EventEffects effects;

	private JsonNode description;

	private SchemaRegistry schemas;

	@BeforeEach
	void readDescription() {
		Response served = this.http.get("/v3/api-docs", null);
		served.hasStatus(200);
		this.description = served.json();
		this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
				builder -> builder.schemas(Map.of(BASE, strict(this.description).toString())));
	}

	@Test
	void descriptionAndSwaggerUiAreServedWithoutAKey() {
		assertThat(this.description.get("openapi").asString()).startsWith("3.1.");
		Response ui = this.http.get("/swagger-ui.html", null);
		assertThat(ui.status()).isEqualTo(302);
		assertThat(ui.header("Location")).endsWith("/swagger-ui/index.html");
		Response page = this.http.get("/swagger-ui/index.html", null);
		page.hasStatus(200);
		assertThat(page.body()).contains("swagger-ui");
		this.http.get("/webjars/swagger-ui/swagger-ui-bundle.js", null).hasStatus(200);
	}

	@Test
	void describesBothBearerSchemesAndWhichPathsNeedWhich() {
		JsonNode schemes = this.description.at("/components/securitySchemes");
		for (String name : List.of("apiKey", "adminToken")) {
			assertThat(schemes.get(name).get("type").asString()).isEqualTo("http");
			assertThat(schemes.get(name).get("scheme").asString()).isEqualTo("bearer");
		}
		operations().forEach(operation -> assertThat(operation.node().at("/security/0").propertyNames())
			.as("security of %s", operation)
			.containsExactly(operation.path().startsWith("/admin/") ? "adminToken" : "apiKey"));
	}

	@Test
	void everyOperationIsDescribed() {
		List<Operation> operations = operations();
		assertThat(operations).isNotEmpty();
		assertThat(this.description.get("paths").propertyNames())
			.allMatch(path -> path.startsWith("/v1/") || path.startsWith("/admin/v1/"));
		for (Operation operation : operations) {
			JsonNode node = operation.node();
			assertThat(node.get("operationId")).as("operationId of %s", operation).isNotNull();
			assertThat(node.get("summary")).as("summary of %s", operation).isNotNull();
			assertThat(node.get("tags")).as("tags of %s", operation).isNotNull();
			assertThat(node.at("/responses/401/$ref").asString()).as("401 of %s", operation)
				.isEqualTo("#/components/responses/Unauthorized");
			JsonNode body = node.at("/requestBody/content/application~1json/schema/$ref");
			if (!body.isMissingNode()) {
				assertThat(body.asString()).as("request body of %s", operation)
					.matches("#/components/schemas/\\w+(Request|Changes)");
				assertThat(node.at("/responses/422")).as("422 of %s", operation).isNotNull();
			}
			for (JsonNode parameter : node.path("parameters")) {
				assertThat(parameter.get("description")).as("parameter %s of %s", parameter.get("name"), operation)
					.isNotNull();
			}
		}
	}

	@Test
	void everyFieldIsDescribed() {
		JsonNode components = this.description.at("/components/schemas");
		assertThat(components.propertyNames()).doesNotContain("JsonNode");
		for (String name : components.propertyNames()) {
			assertDescribed(name, components.get(name));
		}
	}

	@Test
	void enrollExamplesOfTheContractAreValid() {
		JsonNode examples = operation("post", ENROLL).at("/requestBody/content/application~1json/examples");
		assertThat(examples.propertyNames()).hasSize(3);
		for (JsonNode example : examples) {
			assertValid("EnrollRequest", example.get("value"));
		}
		assertValid("EnrollResult", operation("post", ENROLL).at("/responses/200/content/application~1json/example"));
		JsonNode unprocessable = operation("post", ENROLL).at("/responses/422/content/application~1json");
		for (JsonNode example : unprocessable.get("examples")) {
			assertValidAgainstOne(unprocessable.get("schema"), example.get("value"), "422 example");
		}
	}

	@Test
	void theValidatorRejectsWhatTheDescriptionDoesNotAllow() {
		for (String invalid : List.of("{\"enrolled_count\": 1}",
				"{\"enrolled_count\": \"1\", \"not_enrolled\": "
						+ "{\"not_found\": [], \"already_enrolled\": [], \"recently_completed\": []}}",
				"{\"enrolled_count\": 1, "
						+ "\"not_enrolled\": {\"not_found\": [], \"already_enrolled\": [], \"recently_completed\": []}, \"extra\": 1}")) {
			assertThat(this.schemas.getSchema(SchemaLocation.of(BASE + "#/components/schemas/EnrollResult"))
				.validate(Response.JSON.readTree(invalid))).as(invalid).isNotEmpty();
		}
		assertThat(this.schemas.getSchema(SchemaLocation.of(BASE + "#/components/schemas/ValidationError"))
			.validate(Response.JSON.readTree("{\"error\": {\"base\": \"not an array\"}}"))).isNotEmpty();
	}

	@Test
	void enrollAnswersMatchTheDescription() {
		Tenant tenant = newTenant();
		String on = journey(tenant, "on");
		String enroll = "/v1/journeys/" + on + "/enroll";
		contacts(tenant, "active", "a@example.com", "b@example.com");
		list(tenant, "team@example.com", "b@example.com");
		list(tenant, "twice@example.com");
		list(tenant, "twice@example.com");
		assertDescribed("post", ENROLL,
				this.http.post(enroll, tenant.token(),
						"{\"contact_email_addresses\": [\"a@example.com\", \"nobody@example.com\"], "
								+ "\"list_email_addresses\": [\"team@example.com\"]}"),
				200);
		assertDescribed("post", ENROLL,
				this.http.post(enroll, tenant.token(), "{\"contact_email_addresses\": [\"a@example.com\"]}"), 200);
		assertDescribed("post", ENROLL, this.http.post(enroll, null, "{}"), 401);
		assertDescribed("post", ENROLL, this.http.post(enroll, tenant.token(), "{"), 400);
		assertDescribed("post", ENROLL, this.http.post(enroll, tenant.token(), "[]"), 400);
		assertDescribed("post", ENROLL, this.http.send("POST", enroll, tenant.token(), "{}", "text/plain"), 415);
		String large = "{\"contact_email_addresses\": [\"" + "x".repeat(1_100_000) + "\"]}";
		assertDescribed("post", ENROLL, this.http.post(enroll, tenant.token(), large), 413);
		assertDescribed("post", ENROLL, this.http.post("/v1/journeys/nope/enroll", tenant.token(), "{}"), 404);
		assertDescribed("post", ENROLL,
				this.http.post("/v1/journeys/" + journey(tenant, "draft") + "/enroll", tenant.token(), "{}"), 422);
		assertDescribed("post", ENROLL, this.http.post(enroll, tenant.token(), "{}"), 422);
		assertDescribed("post", ENROLL,
				this.http.post(enroll, tenant.token(), "{\"contact_email_addresses\": \"a@example.com\"}"), 422);
		assertDescribed("post", ENROLL,
				this.http.post(enroll, tenant.token(),
						"{\"list_email_addresses\": " + jsonArray(java.util.Collections.nCopies(101, "l@x.com")) + "}"),
				422);
		assertDescribed("post", ENROLL,
				this.http.post(enroll, tenant.token(), "{\"list_email_addresses\": [\"none@example.com\"]}"), 422);
		assertDescribed("post", ENROLL,
				this.http.post(enroll, tenant.token(), "{\"list_email_addresses\": [\"twice@example.com\"]}"), 422);
	}

	@Test
	void answersAcrossTheApiMatchTheDescription() {
		String admin = ADMIN_TOKEN;
		Response company = this.http.post("/admin/v1/companies", admin, "{\"name\": \"Acme\"}");
		assertDescribed("post", "/admin/v1/companies", company, 201);
		String companyId = company.text("id");
		Response key = this.http.post("/admin/v1/companies/" + companyId + "/api_keys", admin, "{\"name\": \"k\"}");
		assertDescribed("post", "/admin/v1/companies/{id}/api_keys", key, 201);
		String token = key.text("token");
		assertDescribed("get", "/admin/v1/companies/{id}", this.http.get("/admin/v1/companies/" + companyId, admin),
				200);
		assertDescribed("get", "/admin/v1/companies/{id}/api_keys",
				this.http.get("/admin/v1/companies/" + companyId + "/api_keys", admin), 200);
		assertDescribed("post", "/admin/v1/companies", this.http.post("/admin/v1/companies", admin, "{}"), 422);

		Response contact = this.http.post("/v1/contacts", token, "{\"email_address\": \"a@example.com\"}");
		assertDescribed("post", "/v1/contacts", contact, 201);
		assertDescribed("patch", "/v1/contacts/{id}",
				this.http.patch("/v1/contacts/" + contact.text("id"), token, "{\"first_name\": \"Ada\"}"), 200);
		assertDescribed("get", "/v1/contacts/{id}", this.http.get("/v1/contacts/nope", token), 404);
		assertDescribed("post", "/v1/contacts/bulk", this.http.post("/v1/contacts/bulk", token,
				"{\"contacts\": [{\"email_address\": \"b@example.com\"}, {\"email_address\": \"bad\"}]}"), 422);
		assertDescribed("post", "/v1/contacts/bulk",
				this.http.post("/v1/contacts/bulk", token, "{\"contacts\": [{\"email_address\": \"b@example.com\"}]}"),
				200);
		assertDescribed("get", "/v1/contacts", this.http.get("/v1/contacts?limit=1", token), 200);
		assertDescribed("get", "/v1/contacts", this.http.get("/v1/contacts?limit=0", token), 422);

		Response list = this.http.post("/v1/lists", token,
				"{\"name\": \"Team\", \"email_address\": \"team@example.com\"}");
		assertDescribed("post", "/v1/lists", list, 201);
		String members = "/v1/lists/" + list.text("id") + "/members";
		assertDescribed("post", "/v1/lists/{id}/members",
				this.http.post(members, token, "{\"contact_email_addresses\": [\"b@example.com\", \"x@example.com\"]}"),
				200);
		assertDescribed("get", "/v1/lists/{id}/members", this.http.get(members, token), 200);
		assertDescribed("get", "/v1/lists", this.http.get("/v1/lists", token), 200);

		Response journey = this.http.post("/v1/journeys", token, "{\"name\": \"Onboarding\"}");
		assertDescribed("post", "/v1/journeys", journey, 201);
		String journeyPath = "/v1/journeys/" + journey.text("id");
		assertDescribed("patch", "/v1/journeys/{id}", this.http.patch(journeyPath, token, "{\"state\": \"on\"}"), 200);
		assertDescribed("patch", "/v1/journeys/{id}", this.http.patch(journeyPath, token, "{\"state\": \"draft\"}"),
				422);
		assertDescribed("get", "/v1/journeys", this.http.get("/v1/journeys?state=on", token), 200);
		assertDescribed("post", ENROLL,
				this.http.post(journeyPath + "/enroll", token, "{\"list_email_addresses\": [\"team@example.com\"]}"),
				200);
		assertDescribed("get", "/v1/journeys/{id}/enrollments", this.http.get(journeyPath + "/enrollments", token),
				200);
		assertDescribed("post", "/v1/journeys/{id}/complete",
				this.http.post(journeyPath + "/complete", token, "{\"contact_email_addresses\": [\"b@example.com\"]}"),
				200);
		assertDescribed("post", "/v1/journeys/{id}/unenroll",
				this.http.post(journeyPath + "/unenroll", token, "{\"contact_email_addresses\": [\"a@example.com\"]}"),
				200);
		assertDescribed("post", "/v1/journeys/{id}/enrollments/import", this.http.post(
				journeyPath + "/enrollments/import", token,
				"{\"enrollments\": [{\"email_address\": \"a@example.com\", "
						+ "\"enrolled_at\": \"2026-01-01T00:00:00Z\", \"exited_at\": \"2026-01-02T00:00:00Z\"}]}"),
				200);
		assertDescribed("get", "/v1/journeys/{id}/enrollments",
				this.http.get(journeyPath + "/enrollments?status=exited", token), 200);
		Response running = this.http.post("/v1/journeys", token, "{\"name\": \"Runs\", \"steps\": ["
				+ "{\"type\": \"wait\", \"duration\": \"PT1H\"}, {\"type\": \"webhook\", \"url\": \"https://example.com/h\"}]}");
		assertDescribed("post", "/v1/journeys", running, 201);
		String runningPath = "/v1/journeys/" + running.text("id");
		assertDescribed("patch", "/v1/journeys/{id}", this.http.patch(runningPath, token, "{\"state\": \"on\"}"), 200);
		this.http.post(runningPath + "/enroll", token, "{\"contact_email_addresses\": [\"b@example.com\"]}")
			.hasStatus(200);
		assertDescribed("get", "/v1/journeys/{id}", this.http.get(runningPath, token), 200);
		Response enrollments = this.http.get(runningPath + "/enrollments", token);
		assertDescribed("get", "/v1/journeys/{id}/enrollments", enrollments, 200);
		String enrollment = runningPath + "/enrollments/" + enrollments.json().get("data").get(0).get("id").asString();
		assertDescribed("get", "/v1/journeys/{id}/enrollments/{enrollmentId}", this.http.get(enrollment, token), 200);
		assertDescribed("post", "/v1/journeys/{id}/enrollments/{enrollmentId}/retry",
				this.http.post(enrollment + "/retry", token, null), 422);
		assertDescribed("get", "/v1/journeys/{id}/enrollments/{enrollmentId}",
				this.http.get(runningPath + "/enrollments/nope", token), 404);
		String retryAll = "/v1/journeys/{id}/enrollments/retry";
		assertDescribed("post", retryAll, this.http.post(runningPath + "/enrollments/retry", token, "{}"), 200);
		assertDescribed("post", retryAll,
				this.http.post(runningPath + "/enrollments/retry", token, "{\"step_id\": \"nope\"}"), 422);
		assertDescribed("post", retryAll, this.http.post("/v1/journeys/nope/enrollments/retry", token, "{}"), 404);
		assertDescribed("post", "/v1/journeys/{id}/webhook_secret/rotate",
				this.http.post(runningPath + "/webhook_secret/rotate", token, null), 200);
		Response destinations = this.http.get("/v1/destinations", token);
		assertDescribed("get", "/v1/destinations", destinations, 200);
		String destination = "/v1/destinations/" + destinations.json().get("data").get(0).get("id").asString();
		assertDescribed("get", "/v1/destinations/{id}", this.http.get(destination, token), 200);
		assertDescribed("get", "/v1/destinations/{id}", this.http.get("/v1/destinations/nope", token), 404);
		assertDescribed("patch", "/v1/destinations/{id}",
				this.http.patch(destination, token, "{\"state\": \"paused\", \"max_per_second\": 50}"), 200);
		assertDescribed("get", "/v1/journeys/{id}", this.http.get(runningPath, token), 200);
		assertDescribed("patch", "/v1/destinations/{id}",
				this.http.patch(destination, token, "{\"max_per_second\": 0}"), 422);
		assertDescribed("post", "/v1/journeys/{id}/webhook_secret/rotate",
				this.http.post(journeyPath + "/webhook_secret/rotate", token, null), 422);
		assertDescribed("delete", "/v1/contacts/{id}", this.http.delete("/v1/contacts/" + contact.text("id"), token),
				204);
		assertDescribed("delete", "/admin/v1/api_keys/{id}",
				this.http.delete("/admin/v1/api_keys/" + key.text("id"), admin), 204);
	}

	/**
	 * Events, and a journey that reacts to them: its trigger, goal, time zone, conditions
	 * and {@code wait_for_event} step as answered, the enrollment its trigger made and
	 * the goal that ended it. This instance's runner is off: the test applies the events.
	 */
	@Test
	void answersOfEventsAndJourneysThatReactMatchTheDescription() {
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		String token = tenant.token();
		contacts(tenant, "active", "a@example.com");
		Response journey = this.http.post("/v1/journeys", token, """
				{"name": "Reacts", "time_zone": "Europe/Paris",
				 "trigger": {"event_name": "signed_up", "where": {"any": [
				   {"property": "plan", "in": ["pro", "team"]}, {"not": {"property": "trial", "exists": true}},
				   {"property": "since", "lt": "2026-01-05T09:00:00+01:00"},
				   {"event": "visited", "within": "P7D", "where": null}]}},
				 "goal": {"event_name": "purchased", "where": {"all": [
				   {"property": "tags", "contains": "gift"}, {"property": "order.total", "gte": 10}]}},
				 "steps": [{"id": "opened", "type": "wait_for_event", "event_name": "opened",
				   "where": {"property": "campaign", "not_equals": 3}, "timeout": "P2D", "next": "end",
				   "timeout_next": "nudge"},
				  {"id": "nudge", "type": "webhook", "url": "https://example.com/h"}]}
				""");
		assertDescribed("post", "/v1/journeys", journey, 201);
		String journeyPath = "/v1/journeys/" + journey.text("id");
		Response on = this.http.patch(journeyPath, token, "{\"state\": \"on\", \"time_zone\": null}");
		assertDescribed("patch", "/v1/journeys/{id}", on, 200);
		assertThat(on.json().propertyNames()).contains("trigger", "goal", "steps").doesNotContain("time_zone");
		assertDescribed("post", "/v1/events", this.http.post("/v1/events", token, """
				{"events": [{"id": "s1", "name": "signed_up", "contact_email_address": "A@example.com",
				  "properties": {"plan": "pro"}, "occurred_at": "2026-06-01T08:59:00Z"},
				 {"name": "signed_up", "contact_email_address": "nobody@example.com"}]}
				"""), 200);
		assertDescribed("post", "/v1/events", this.http.post("/v1/events", token,
				"{\"events\": [{\"name\": \"\", \"contact_email_address\": \"a@example.com\"}]}"), 422);
		this.effects.applyPending(UUID.fromString(tenant.companyId()));
		Response enrollments = this.http.get(journeyPath + "/enrollments", token);
		assertDescribed("get", "/v1/journeys/{id}/enrollments", enrollments, 200);
		JsonNode enrolled = enrollments.json().get("data").get(0);
		assertThat(enrolled.get("source").asString()).isEqualTo("trigger");
		assertThat(enrolled.has("trigger_event")).isTrue();
		this.clock.advance(Duration.ofMinutes(1));
		this.http.post("/v1/events", token, """
				{"events": [{"id": "p1", "name": "purchased", "contact_email_address": "a@example.com",
				  "properties": {"tags": ["gift"], "order": {"total": 20}}}]}
				""").hasStatus(200);
		this.effects.applyPending(UUID.fromString(tenant.companyId()));
		Response detail = this.http.get(journeyPath + "/enrollments/" + enrolled.get("id").asString(), token);
		assertDescribed("get", "/v1/journeys/{id}/enrollments/{enrollmentId}", detail, 200);
		assertThat(detail.text("exit_reason")).isEqualTo("goal_reached");
		assertThat(detail.json().has("exit_event")).isTrue();
		Response read = this.http.get(journeyPath, token);
		assertDescribed("get", "/v1/journeys/{id}", read, 200);
		assertThat(read.json().get("stats").get("goal_reached").asInt()).isEqualTo(1);
		assertDescribed("get", "/v1/journeys", this.http.get("/v1/journeys", token), 200);
		String contact = enrolled.get("contact_id").asString();
		Response events = this.http.get("/v1/contacts/" + contact + "/events?limit=1", token);
		assertDescribed("get", "/v1/contacts/{id}/events", events, 200);
		assertThat(events.json().get("has_more").asBoolean()).isTrue();
		assertDescribed("get", "/v1/contacts/{id}/events", this.http.get("/v1/contacts/nope/events", token), 404);
		assertDescribed("get", "/v1/contacts/{id}/events",
				this.http.get("/v1/contacts/" + contact + "/events?limit=0", token), 422);
		assertDescribed("patch", "/v1/journeys/{id}",
				this.http.patch(journeyPath, token, "{\"trigger\": null, \"goal\": null}"), 200);
	}

	/**
	 * A journey that decides: its {@code branch}, {@code split} and {@code wait_until}
	 * steps as answered, and the {@code ways} of its stats.
	 */
	@Test
	void answersOfJourneysThatDecideMatchTheDescription() {
		Tenant tenant = newTenant();
		String token = tenant.token();
		Response journey = this.http.post("/v1/journeys", token,
				"""
						{"name": "Decides", "steps": [
						  {"id": "who", "type": "branch", "cases": [
						    {"when": {"attribute": "plan", "equals": "pro"}, "next": "morning"},
						    {"when": {"event": "purchased", "within": "P7D", "where": {"property": "total", "gte": 100}},
						     "next": "ab"}], "otherwise": "end"},
						  {"id": "ab", "type": "split", "paths": [{"weight": 80, "next": "morning"}, {"weight": 20, "next": "paris"}]},
						  {"id": "morning", "type": "wait_until", "time": "09:00", "days": ["mon", "tue"], "time_zone": "contact",
						   "spread": "PT15M", "next": "end"},
						  {"id": "paris", "type": "wait_until", "time": "18:30", "time_zone": "Europe/Paris"}]}
						""");
		assertDescribed("post", "/v1/journeys", journey, 201);
		assertThat(journey.json().get("steps").get(2).has("time_zone")).isFalse();
		String journeyPath = "/v1/journeys/" + journey.text("id");
		Response read = this.http.get(journeyPath, token);
		assertDescribed("get", "/v1/journeys/{id}", read, 200);
		assertThat(read.json().at("/stats/steps/0/ways").size()).isEqualTo(3);
		assertThat(read.json().at("/stats/steps/1/ways").size()).isEqualTo(2);
		assertDescribed("patch", "/v1/journeys/{id}",
				this.http.patch(journeyPath, token,
						"{\"steps\": [{\"type\": \"split\", \"paths\": [{\"weight\": 101, \"next\": \"end\"}]}]}"),
				422);
	}

	/** Subscriptions, their delivery log with a pending delivery, replay, and errors. */
	@Test
	void subscriptionAnswersMatchTheDescription() {
		Tenant tenant = newTenant();
		String token = tenant.token();
		String journey = journey(tenant, "on");
		Response created = this.http.post("/v1/subscriptions", token,
				"{\"url\": \"https://example.com/in\", \"event_types\": [\"enrollment.entered\"], "
						+ "\"journey_ids\": [\"" + journey + "\"]}");
		assertDescribed("post", "/v1/subscriptions", created, 201);
		String id = created.text("id");
		contacts(tenant, "active", "a@example.com");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", token, "{\"contact_email_addresses\": [\"a@example.com\"]}")
			.hasStatus(200);
		assertDescribed("get", "/v1/subscriptions", this.http.get("/v1/subscriptions", token), 200);
		assertDescribed("get", "/v1/subscriptions/{id}", this.http.get("/v1/subscriptions/" + id, token), 200);
		Response log = this.http.get("/v1/subscriptions/" + id + "/deliveries", token);
		assertDescribed("get", "/v1/subscriptions/{id}/deliveries", log, 200);
		assertThat(log.json().get("data").size()).isEqualTo(1);
		assertDescribed("post", "/v1/subscriptions/{id}/replay",
				this.http.post("/v1/subscriptions/" + id + "/replay", token, "{\"since\": \"2020-01-01T00:00:00Z\"}"),
				200);
		assertDescribed("post", "/v1/subscriptions/{id}/replay",
				this.http.post("/v1/subscriptions/" + id + "/replay", token, "{}"), 422);
		assertDescribed("post", "/v1/subscriptions", this.http.post("/v1/subscriptions", token, "{}"), 422);
		assertDescribed("post", "/v1/subscriptions", this.http.post("/v1/subscriptions", token, "{"), 400);
		assertDescribed("delete", "/v1/subscriptions/{id}", this.http.delete("/v1/subscriptions/" + id, token), 204);
		assertDescribed("get", "/v1/subscriptions/{id}", this.http.get("/v1/subscriptions/" + id, token), 404);
		assertDescribed("get", "/v1/subscriptions/{id}/deliveries",
				this.http.get("/v1/subscriptions/" + id + "/deliveries", token), 404);
	}

	/**
	 * A preview through every kind of step, one that exits at the goal, and its errors.
	 */
	@Test
	void previewAnswersMatchTheDescription() {
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		String token = tenant.token();
		contacts(tenant, "active", "a@example.com");
		contacts(tenant, "inactive", "off@example.com");
		String preview = "/v1/journeys/{id}/preview";
		Response created = this.http.post("/v1/journeys", token,
				"""
						{"name": "Previewed", "time_zone": "Europe/Paris", "goal": {"event_name": "activated"},
						 "steps": [{"id": "plan", "type": "branch", "cases": [{"when": {"attribute": "plan", "equals": "pro"},
						   "next": "end"}], "otherwise": "ab"},
						  {"id": "ab", "type": "split", "paths": [{"weight": 1, "next": "hold"}, {"weight": 1, "next": "hold"}]},
						  {"id": "hold", "type": "wait_for_event", "event_name": "opened", "timeout": "PT1H"},
						  {"id": "nine", "type": "wait_until", "time": "09:00", "spread": "PT5M"},
						  {"id": "hour", "type": "wait", "duration": "PT1H"},
						  {"id": "hook", "type": "webhook", "url": "https://example.com/h"}]}
						""");
		assertDescribed("post", "/v1/journeys", created, 201);
		String journey = "/v1/journeys/" + created.text("id") + "/preview";
		assertDescribed("post", preview, this.http.post(journey, token,
				"{\"contact_email_address\": \"a@example.com\", \"at\": \"2026-05-01T10:00:00+02:00\"}"), 200);
		this.http
			.post("/v1/events", token,
					"{\"events\": [{\"name\": \"activated\", \"contact_email_address\": \"a@example.com\"}]}")
			.hasStatus(200);
		Response exited = this.http.post(journey, token,
				"{\"contact_email_address\": \"a@example.com\", \"at\": \"2026-06-01T06:00:00Z\"}");
		assertDescribed("post", preview, exited, 200);
		assertThat(exited.text("ends")).isEqualTo("exited");
		assertDescribed("post", preview, this.http.post(journey, null, "{}"), 401);
		assertDescribed("post", preview, this.http.post(journey, token, "{"), 400);
		assertDescribed("post", preview, this.http.post("/v1/journeys/nope/preview", token, "{}"), 404);
		assertDescribed("post", preview, this.http.post(journey, token, "{\"at\": \"tomorrow\"}"), 422);
		assertDescribed("post", preview, this.http.post(journey, token, "{}"), 422);
		assertDescribed("post", preview,
				this.http.post(journey, token, "{\"contact_email_address\": \"off@example.com\"}"), 422);
	}

	@Test
	void theServedDescriptionIsDocsOpenApiJson() throws IOException {
		assertThat(this.http.get("/v3/api-docs", null).body())
			.isEqualTo(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
	}

	@Test
	void theDescribedOperationsAreTheRoutes() {
		Set<String> routes = new TreeSet<>();
		this.handlers.getHandlerMethods().forEach((mapping, handler) -> {
			for (String path : mapping.getPatternValues()) {
				if (path.startsWith("/v1/") || path.startsWith("/admin/v1/")) {
					mapping.getMethodsCondition()
						.getMethods()
						.forEach(method -> routes.add(method.name().toLowerCase(Locale.ROOT) + " " + path));
				}
			}
		});
		assertThat(operations().stream().map(operation -> operation.method() + " " + operation.path()))
			.containsExactlyInAnyOrderElementsOf(routes);
	}

	/**
	 * Each request body schema has the fields its record binds, with the record's
	 * {@code @Size} limits as {@code maxLength} or {@code maxItems}.
	 */
	@Test
	void theDescribedRequestBodiesAreTheRequestRecords() {
		int checked = 0;
		for (var entry : this.handlers.getHandlerMethods().entrySet()) {
			for (MethodParameter parameter : entry.getValue().getMethodParameters()) {
				if (!parameter.hasParameterAnnotation(RequestBody.class)) {
					continue;
				}
				var mapping = entry.getKey();
				String method = mapping.getMethodsCondition().getMethods().iterator().next().name();
				String path = mapping.getPatternValues().iterator().next();
				JsonNode schema = resolve(operation(method.toLowerCase(Locale.ROOT), path)
					.at("/requestBody/content/application~1json/schema"));
				assertSameFields(method + " " + path, parameter.getParameterType(), schema);
				checked++;
			}
		}
		assertThat(checked).isEqualTo(21);
	}

	private void assertSameFields(String where, Class<?> record, JsonNode schema) {
		assertThat(schema.get("properties").propertyNames()).as("fields of %s", where)
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(record.getRecordComponents())
				.map(component -> NAMING.nameForField(null, null, component.getName()))
				.toList());
		for (RecordComponent component : record.getRecordComponents()) {
			String field = NAMING.nameForField(null, null, component.getName());
			JsonNode property = schema.get("properties").get(field);
			Size size = component.getAccessor().getAnnotation(Size.class);
			if (size != null) {
				String limit = component.getType() == List.class ? "maxItems" : "maxLength";
				assertThat(property.path(limit).asInt()).as("%s of %s.%s", limit, where, field).isEqualTo(size.max());
			}
			if (component.getAnnotatedType() instanceof AnnotatedParameterizedType list
					&& component.getType() == List.class) {
				AnnotatedType element = list.getAnnotatedActualTypeArguments()[0];
				Size entry = element.getAnnotation(Size.class);
				if (entry != null) {
					assertThat(property.at("/items/maxLength").asInt()).as("entries of %s.%s", where, field)
						.isEqualTo(entry.max());
				}
				if (element.getType() instanceof Class<?> type && type.isRecord()) {
					assertSameFields(where + " " + field + "[]", type, resolve(property.get("items")));
				}
			}
		}
	}

	private JsonNode resolve(JsonNode schema) {
		return schema.has("$ref") ? this.description.at(schema.get("$ref").asString().substring(1)) : schema;
	}

	private void assertDescribed(String method, String path, Response response, int status) {
		assertThat(response.status()).as("status of %s %s: %s", method, path, response.body()).isEqualTo(status);
		JsonNode answer = operation(method, path).at("/responses/" + status);
		assertThat(answer.isMissingNode()).as("%s %s documents %d", method, path, status).isFalse();
		if (answer.has("$ref")) {
			answer = this.description.at(answer.get("$ref").asString().substring(1));
		}
		JsonNode schema = answer.at("/content/application~1json/schema");
		if (status == 204) {
			assertThat(schema.isMissingNode()).isTrue();
			assertThat(response.body()).isEmpty();
			return;
		}
		assertThat(response.header("Content-Type")).startsWith("application/json");
		assertValidAgainstOne(schema, response.json(), method + " " + path + " " + status);
	}

	/**
	 * Valid against the schema's {@code $ref}, or against one of its {@code oneOf} refs.
	 */
	private void assertValidAgainstOne(JsonNode schema, JsonNode instance, String what) {
		List<String> names = new ArrayList<>();
		if (schema.has("$ref")) {
			names.add(schema.get("$ref").asString());
		}
		schema.path("oneOf").forEach(option -> names.add(option.get("$ref").asString()));
		assertThat(names).as("%s names a schema", what).isNotEmpty();
		List<String> matching = names.stream()
			.map(name -> name.substring("#/components/schemas/".length()))
			.filter(name -> this.schemas.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + name))
				.validate(instance)
				.isEmpty())
			.toList();
		assertThat(matching).as("%s: %s against %s", what, instance, names).hasSize(1);
	}

	private void assertValid(String schemaName, JsonNode instance) {
		assertValid(schemaName, instance, schemaName);
	}

	private void assertValid(String schemaName, JsonNode instance, String what) {
		List<Error> errors = this.schemas.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + schemaName))
			.validate(instance);
		assertThat(errors).as("%s: %s against %s", what, instance, schemaName).isEmpty();
	}

	private JsonNode operation(String method, String path) {
		JsonNode operation = this.description.path("paths").path(path).path(method);
		assertThat(operation.isMissingNode()).as("%s %s is described", method, path).isFalse();
		return operation;
	}

	private List<Operation> operations() {
		List<Operation> operations = new ArrayList<>();
		JsonNode paths = this.description.get("paths");
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				operations.add(new Operation(method, path, paths.get(path).get(method)));
			}
		}
		return operations;
	}

	private static void assertDescribed(String where, JsonNode schema) {
		JsonNode properties = schema.get("properties");
		if (properties != null) {
			for (String field : properties.propertyNames()) {
				JsonNode property = properties.get(field);
				assertThat(property.get("description")).as("description of %s.%s", where, field).isNotNull();
				assertDescribed(where + "." + field, property);
			}
		}
		if (schema.get("items") != null) {
			assertDescribed(where + "[]", schema.get("items"));
		}
	}

	/**
	 * A copy of the description in which objects allow no undocumented property, so that
	 * an answer carrying a field the description does not know fails validation.
	 */
	private static JsonNode strict(JsonNode description) {
		JsonNode copy = description.deepCopy();
		for (JsonNode schema : copy.at("/components/schemas")) {
			if (schema.has("properties") && !schema.has("additionalProperties")) {
				((ObjectNode) schema).put("additionalProperties", false);
			}
		}
		return copy;
	}

	private record Operation(String method, String path, JsonNode node) {

		@Override
		public String toString() {
			return this.method.toUpperCase(java.util.Locale.ROOT) + " " + this.path;
		}

	}

}
