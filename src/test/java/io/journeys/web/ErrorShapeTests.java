package io.journeys.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors are JSON everywhere; health is open; every answer carries a request id. */
class ErrorShapeTests extends ApiTests {

	private static final String NOT_FOUND = "{\"error\": \"Not found\"}";

	private static final String API_401 = "{\"error\": \"Invalid or missing API token\"}";

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	@Test
	void unknownRoutesUnderV1WithAKeyAre404Json() {
		for (String path : List.of("/v1", "/v1/", "/v1/nope", "/v1/contacts/" + UUID.randomUUID() + "/nope",
				"/v1/journeys/x/y/z", "/v1/lists/x/members/y", "/v1/companies", "/v1/contacts/")) {
			this.http.get(path, this.tenant.token()).is(404, NOT_FOUND);
		}
		this.http.post("/v1/nope", this.tenant.token(), "{}").is(404, NOT_FOUND);
		this.http.delete("/v1/nope", this.tenant.token()).is(404, NOT_FOUND);
	}

	@Test
	void unknownRoutesUnderV1WithoutAKeyAre401Json() {
		for (String path : List.of("/v1", "/v1/nope", "/v1/contacts/x/y")) {
			Response response = this.http.get(path, null);
			response.is(401, API_401);
			assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
			this.http.get(path, "jrn_" + "x".repeat(43)).is(401, API_401);
		}
		this.http.post("/v1/nope", null, "{").is(401, API_401);
	}

	@Test
	void unknownRoutesElsewhereAre404Json() {
		for (String path : List.of("/", "/nope", "/v2/contacts", "/actuator/nope", "/index.html", "/error/x")) {
			this.http.get(path, null).is(404, NOT_FOUND);
		}
	}

	@Test
	void aWrongMethodIs405Json() {
		String journey = journey(this.tenant, "on");
		Map<String, String> cases = Map.of("DELETE", "/v1/journeys/" + journey, "PUT", "/v1/contacts", "POST",
				"/v1/journeys/" + journey + "/enrollments", "GET", "/v1/journeys/" + journey + "/enroll", "PATCH",
				"/v1/lists");
		for (Map.Entry<String, String> entry : cases.entrySet()) {
			Response response = this.http.send(entry.getKey(), entry.getValue(), this.tenant.token(), "{}",
					"application/json");
			response.is(405, "{\"error\": \"Method " + entry.getKey() + " not allowed\"}");
			assertThat(response.header("Allow")).isNotBlank();
		}
		// authentication still comes first
		this.http.delete("/v1/journeys/" + journey, null).is(401, API_401);
	}

	@Test
	void healthIsOpenWithoutAKey() {
		Response health = this.http.get("/actuator/health", null);
		health.hasStatus(200);
		assertThat(health.json()).isEqualTo(Response.JSON.readTree("{\"status\": \"UP\"}"));
		this.http.send("GET", "/actuator/health", Map.of("Accept", "application/json"), null)
			.is(200, "{\"status\": \"UP\"}");
	}

	@Test
	void everyErrorIsJson() {
		String journey = journey(this.tenant, "on");
		List<Response> errors = List.of(this.http.get("/v1/contacts", null),
				this.http.get("/v1/nope", this.tenant.token()), this.http.get("/v1/contacts/nope", this.tenant.token()),
				this.http.get("/v1/contacts?limit=0", this.tenant.token()),
				this.http.post("/v1/contacts", this.tenant.token(), "{"),
				this.http.post("/v1/contacts", this.tenant.token(), "[]"),
				this.http.send("POST", "/v1/contacts", this.tenant.token(), "{}", "text/plain"),
				this.http.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
						"{\"contact_email_addresses\": [\"" + "a".repeat(1024 * 1024) + "\"]}"),
				this.http.send("PUT", "/v1/contacts", this.tenant.token(), "{}", "application/json"),
				this.http.get("/admin/v1/companies/x", null), this.http.get("/admin/v1/companies/x", ADMIN_TOKEN),
				this.http.get("/nope", null));
		for (Response error : errors) {
			assertThat(error.status()).as(error.body()).isGreaterThanOrEqualTo(400);
			assertThat(error.header("Content-Type")).as("content type of %s", error.body())
				.startsWith("application/json");
			assertThat(error.json().has("error")).as(error.body()).isTrue();
			assertThat(error.json().size()).as(error.body()).isEqualTo(1);
			assertThat(error.body()).doesNotContain("<html", "Exception", "\tat ");
		}
		assertThat(errors.stream().map(Response::status).toList()).containsExactly(401, 404, 404, 422, 400, 400, 415,
				413, 405, 401, 404, 404);
	}

	@Test
	void unreadableBodiesAre400AndOtherContentTypes415OnEveryEndpoint() {
		for (String path : List.of("/v1/contacts", "/v1/contacts/bulk", "/v1/lists", "/v1/journeys")) {
			this.http.post(path, this.tenant.token(), "{").is(400, "{\"error\": \"request body is not valid JSON\"}");
			this.http.post(path, this.tenant.token(), "[]")
				.is(400, "{\"error\": \"request body must be a JSON object\"}");
			this.http.send("POST", path, this.tenant.token(), "{}", "text/plain")
				.is(415, "{\"error\": \"Content-Type must be application/json\"}");
		}
		this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{")
			.is(400, "{\"error\": \"request body is not valid JSON\"}");
	}

	@Test
	void theRequestIdIsEchoedOrGenerated() {
		Response given = this.http.send("GET", "/v1/contacts",
				Map.of("Authorization", "Bearer " + this.tenant.token(), "X-Request-Id", "req-123.abc"), null);
		given.hasStatus(200);
		assertThat(given.header("X-Request-Id")).isEqualTo("req-123.abc");

		Response absent = this.http.get("/v1/contacts", this.tenant.token()).hasStatus(200);
		Response again = this.http.get("/v1/contacts", this.tenant.token()).hasStatus(200);
		assertThat(absent.header("X-Request-Id")).isNotBlank();
		assertThat(again.header("X-Request-Id")).isNotBlank().isNotEqualTo(absent.header("X-Request-Id"));

		// on errors too, and before authentication
		Response refused = this.http.send("GET", "/v1/contacts", Map.of("X-Request-Id", "trace-401"), null);
		refused.is(401, API_401);
		assertThat(refused.header("X-Request-Id")).isEqualTo("trace-401");
		Response missing = this.http.send("GET", "/v1/nope",
				Map.of("Authorization", "Bearer " + this.tenant.token(), "X-Request-Id", "trace-404"), null);
		missing.is(404, NOT_FOUND);
		assertThat(missing.header("X-Request-Id")).isEqualTo("trace-404");
		assertThat(this.http.get("/actuator/health", null).header("X-Request-Id")).isNotBlank();

		// an id that cannot be logged safely is replaced, not echoed
		Response odd = this.http.send("GET", "/v1/contacts",
				Map.of("Authorization", "Bearer " + this.tenant.token(), "X-Request-Id", "bad id with spaces"), null);
		assertThat(odd.header("X-Request-Id")).isNotBlank().isNotEqualTo("bad id with spaces");
	}

}
