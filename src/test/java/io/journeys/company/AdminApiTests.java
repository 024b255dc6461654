package io.journeys.company;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Http;
import io.journeys.support.MutableClock;
import io.journeys.support.Response;
import io.journeys.support.TestDatabase;
import io.journeys.support.TestDatabaseInitializer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.NestedTestConfiguration;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/v1}: companies and API keys, line by line of management.md, over real
 * HTTP.
 */
class AdminApiTests extends ApiTests {

	private static final String T0 = "2026-03-04T05:06:07.123456Z";

	private static final String T1 = "2026-03-04T06:00:00Z";

	private static final String T2 = "2026-03-05T00:00:00.500Z";

	private static final String API_401 = "{\"error\": \"Invalid or missing API token\"}";

	private static final String ADMIN_401 = "{\"error\": \"Invalid or missing admin token\"}";

	private static String company(String id, String name, String createdAt) {
		return """
				{"object": "company", "id": "%s", "name": "%s", "created_at": "%s"}
				""".formatted(id, name, createdAt);
	}

	private static String listedKey(String id, String name, String createdAt, String revokedAt) {
		return """
				{"object": "api_key", "id": "%s", "name": "%s", "created_at": "%s", "revoked_at": %s}
				""".formatted(id, name, createdAt, revokedAt == null ? "null" : "\"" + revokedAt + "\"");
	}

	private String newCompany(String name) {
		return this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"" + name + "\"}")
			.hasStatus(201)
			.text("id");
	}

	private Response newKey(String companyId, String name) {
		return this.http.post("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN,
				"{\"name\": \"" + name + "\"}");
	}

	// companies

	@Test
	void createsACompanyAndReadsItBack() {
		this.clock.set(Instant.parse(T0));
		Response created = this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"Acme Inc\"}");
		String id = created.text("id");
		created.is(201, company(id, "Acme Inc", T0));
		this.http.get("/admin/v1/companies/" + id, ADMIN_TOKEN).is(200, company(id, "Acme Inc", T0));
	}

	@Test
	void companyNamesAreTrimmedAndIdsAreDistinct() {
		Response first = this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"  Acme \\t\"}")
			.hasStatus(201);
		assertThat(first.text("name")).isEqualTo("Acme");
		String second = newCompany("Acme");
		assertThat(second).isNotEqualTo(first.text("id"));
	}

	@Test
	void unknownAndMalformedCompaniesAre404() {
		for (String id : List.of(UUID.randomUUID().toString(), "nope", "1", "00000000-0000-0000-0000-00000000000g")) {
			this.http.get("/admin/v1/companies/" + id, ADMIN_TOKEN).is(404, "{\"error\": \"Company not found\"}");
			this.http.get("/admin/v1/companies/" + id + "/api_keys", ADMIN_TOKEN)
				.is(404, "{\"error\": \"Company not found\"}");
			newKey(id, "ci").is(404, "{\"error\": \"Company not found\"}");
		}
	}

	@Test
	void companyNameIsValidated() {
		String blank = "{\"error\": {\"name\": [\"can't be blank\"]}}";
		for (String body : List.of("{}", "{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": null}",
				"{\"other\": \"Acme\"}")) {
			this.http.post("/admin/v1/companies", ADMIN_TOKEN, body).is(422, blank);
		}
		this.http.post("/admin/v1/companies", ADMIN_TOKEN, null).is(422, blank);
		for (String value : List.of("5", "true", "[\"Acme\"]", "{\"a\": 1}")) {
			this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": " + value + "}")
				.is(422, "{\"error\": {\"name\": [\"must be a string\"]}}");
		}
		this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"" + "a".repeat(256) + "\"}")
			.is(422, "{\"error\": {\"name\": [\"is too long (maximum is 255 characters)\"]}}");
		this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"" + "a".repeat(255) + "\"}").hasStatus(201);
	}

	// API keys

	@Test
	void keyTokensAreShownOnlyInTheCreateAnswer() {
		String companyId = newCompany("Acme");
		this.clock.set(Instant.parse(T0));
		Response created = newKey(companyId, "ci").hasStatus(201);
		String id = created.text("id");
		String token = created.text("token");
		created.is(201, """
				{"object": "api_key", "id": "%s", "name": "ci", "token": "%s", "created_at": "%s"}
				""".formatted(id, token, T0));
		// 128 bits or more of randomness behind a short recognizable prefix
		assertThat(token).matches("jrn_[A-Za-z0-9_-]{22,}");
		this.clock.reset();
		this.http.get("/v1/contacts", token).hasStatus(200);

		Response listing = this.http.get("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN);
		listing.is(200, onePage(50, listedKey(id, "ci", T0, null)));
		assertThat(listing.body()).doesNotContain(token).doesNotContain("\"token\"");
	}

	@Test
	void keysAreRandomAndStoredOnlyAsAHash() throws SQLException {
		String companyId = newCompany("Acme");
		Response first = newKey(companyId, "one").hasStatus(201);
		Response second = newKey(companyId, "two").hasStatus(201);
		assertThat(first.text("token")).isNotEqualTo(second.text("token"));
		assertThat(first.text("id")).isNotEqualTo(second.text("id"));
		for (Response key : List.of(first, second)) {
			String token = key.text("token");
			try (Connection connection = TestDatabase.get().connect();
					PreparedStatement statement = connection
						.prepareStatement("select * from api_keys where id = cast(? as uuid)")) {
				statement.setString(1, key.text("id"));
				try (ResultSet rs = statement.executeQuery()) {
					assertThat(rs.next()).isTrue();
					for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
						String value = rs.getString(column);
						assertThat(value == null ? "" : value).as("column %s", rs.getMetaData().getColumnName(column))
							.doesNotContain(token);
						byte[] bytes = rs.getBytes(column);
						assertThat(bytes == null ? "" : new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
							.as("column %s", rs.getMetaData().getColumnName(column))
							.doesNotContain(token);
					}
				}
			}
		}
	}

	@Test
	void listsKeysOldestFirstWithoutTokensRevokedOnesIncluded() {
		String companyId = newCompany("Acme");
		this.clock.set(Instant.parse(T0));
		Response first = newKey(companyId, "one").hasStatus(201);
		this.clock.set(Instant.parse(T1));
		Response second = newKey(companyId, "two").hasStatus(201);
		this.clock.set(Instant.parse(T2));
		this.http.delete("/admin/v1/api_keys/" + first.text("id"), ADMIN_TOKEN).hasStatus(204);
		Response listing = this.http.get("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN);
		listing.is(200,
				onePage(50, listedKey(first.text("id"), "one", T0, T2), listedKey(second.text("id"), "two", T1, null)));
		assertThat(listing.body()).doesNotContain(first.text("token")).doesNotContain(second.text("token"));
		// another company's keys are not listed
		String other = newCompany("Other");
		this.http.get("/admin/v1/companies/" + other + "/api_keys", ADMIN_TOKEN).is(200, onePage(50));
		// the company is looked up before the page is checked
		this.http.get("/admin/v1/companies/" + UUID.randomUUID() + "/api_keys?limit=0", ADMIN_TOKEN).hasStatus(404);
		this.http.get("/admin/v1/companies/" + companyId + "/api_keys?limit=0", ADMIN_TOKEN).hasStatus(422);
	}

	@Test
	void keyListingIsPaginated() {
		String companyId = newCompany("Acme");
		List<String> ids = new java.util.ArrayList<>();
		this.clock.set(Instant.parse(T0));
		for (int i = 0; i < 5; i++) {
			ids.add(newKey(companyId, "k" + i).hasStatus(201).text("id"));
		}
		Response page = this.http.get("/admin/v1/companies/" + companyId + "/api_keys?limit=2", ADMIN_TOKEN)
			.hasStatus(200);
		assertThat(page.json().get("has_more").asBoolean()).isTrue();
		assertThat(page.json().get("limit").asInt()).isEqualTo(2);
		assertThat(page.text("next")).startsWith("/admin/v1/companies/" + companyId + "/api_keys?").contains("limit=2");
		List<String> walked = walk("/admin/v1/companies/" + companyId + "/api_keys?limit=2", ADMIN_TOKEN).stream()
			.map(key -> key.get("id").asString())
			.toList();
		assertThat(walked).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
		this.http.get("/admin/v1/companies/" + companyId + "/api_keys?limit=0", ADMIN_TOKEN)
			.is(422, "{\"error\": {\"limit\": [\"must be between 1 and 100\"]}}");
	}

	@Test
	void keyNameIsValidated() {
		String companyId = newCompany("Acme");
		String blank = "{\"error\": {\"name\": [\"can't be blank\"]}}";
		for (String body : List.of("{}", "{\"name\": \" \"}", "{\"name\": null}")) {
			this.http.post("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN, body).is(422, blank);
		}
		this.http.post("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN, null).is(422, blank);
		this.http.post("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN, "{\"name\": 7}")
			.is(422, "{\"error\": {\"name\": [\"must be a string\"]}}");
		this.http.get("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN).is(200, onePage(50));
	}

	@Test
	void revokedKeysAnswer401FromThenOn() {
		Tenant tenant = newTenant();
		Response spare = newKey(tenant.companyId(), "spare").hasStatus(201);
		this.http.get("/v1/contacts", tenant.token()).hasStatus(200);
		Response revoked = this.http.delete("/admin/v1/api_keys/" + tenant.keyId(), ADMIN_TOKEN).hasStatus(204);
		assertThat(revoked.body()).isEmpty();
		for (String path : List.of("/v1/contacts", "/v1/journeys", "/v1/lists")) {
			Response refused = this.http.get(path, tenant.token());
			refused.is(401, API_401);
			assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
		}
		this.http.post("/v1/contacts", tenant.token(), "{\"email_address\": \"a@x.com\"}").is(401, API_401);
		// the company's other keys keep working
		this.http.get("/v1/contacts", spare.text("token")).hasStatus(200);
	}

	@Test
	void revokingTwiceKeepsTheFirstRevocation() {
		String companyId = newCompany("Acme");
		Response key = newKey(companyId, "ci").hasStatus(201);
		this.clock.set(Instant.parse(T1));
		this.http.delete("/admin/v1/api_keys/" + key.text("id"), ADMIN_TOKEN).hasStatus(204);
		this.clock.set(Instant.parse(T2));
		this.http.delete("/admin/v1/api_keys/" + key.text("id"), ADMIN_TOKEN).hasStatus(204);
		JsonNode listed = this.http.get("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN)
			.hasStatus(200)
			.json()
			.get("data")
			.get(0);
		assertThat(listed.get("revoked_at").asString()).isEqualTo(T1);
		this.http.get("/v1/contacts", key.text("token")).is(401, API_401);
	}

	@Test
	void revokingAnUnknownKeyIs404() {
		for (String id : List.of(UUID.randomUUID().toString(), "nope", "123")) {
			this.http.delete("/admin/v1/api_keys/" + id, ADMIN_TOKEN).is(404, "{\"error\": \"API key not found\"}");
		}
	}

	// who opens what

	@Test
	void theAdminTokenNeverOpensV1() {
		newTenant();
		for (String path : List.of("/v1/contacts", "/v1/journeys", "/v1/lists", "/v1/nope")) {
			Response response = this.http.get(path, ADMIN_TOKEN);
			response.is(401, API_401);
			assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		}
		this.http.post("/v1/journeys", ADMIN_TOKEN, "{\"name\": \"x\"}").is(401, API_401);
	}

	@Test
	void aCompanyKeyNeverOpensAdmin() {
		Tenant tenant = newTenant();
		List<Response> answers = List.of(this.http.post("/admin/v1/companies", tenant.token(), "{\"name\": \"Evil\"}"),
				this.http.get("/admin/v1/companies/" + tenant.companyId(), tenant.token()),
				this.http.get("/admin/v1/companies/" + tenant.companyId() + "/api_keys", tenant.token()),
				this.http.post("/admin/v1/companies/" + tenant.companyId() + "/api_keys", tenant.token(),
						"{\"name\": \"more\"}"),
				this.http.delete("/admin/v1/api_keys/" + tenant.keyId(), tenant.token()));
		for (Response response : answers) {
			response.is(401, ADMIN_401);
			assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		}
		// nothing happened: the key still works and is not revoked
		this.http.get("/v1/contacts", tenant.token()).hasStatus(200);
	}

	@Test
	void missingOrIncorrectAdminTokensAre401() {
		String companyId = newCompany("Acme");
		List<Map<String, String>> headers = List.of(Map.of(), Map.of("Authorization", "Bearer wrong"),
				Map.of("Authorization", "Bearer " + ADMIN_TOKEN + "x"),
				Map.of("Authorization", "Bearer " + ADMIN_TOKEN.substring(1)),
				Map.of("Authorization", "Basic " + ADMIN_TOKEN), Map.of("Authorization", ADMIN_TOKEN),
				Map.of("Authorization", "Bearer "));
		for (Map<String, String> header : headers) {
			for (String path : List.of("/admin/v1/companies/" + companyId, "/admin/v1/nope")) {
				Response response = this.http.send("GET", path, header, null);
				response.is(401, ADMIN_401);
				assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
			}
			java.util.Map<String, String> post = new java.util.HashMap<>(header);
			post.put("Content-Type", "application/json");
			this.http.send("POST", "/admin/v1/companies", post, "{\"name\": \"x\"}".getBytes()).is(401, ADMIN_401);
		}
	}

	@Test
	void unknownAdminRoutesAre404WithTheToken() {
		this.http.get("/admin/v1/nope", ADMIN_TOKEN).is(404, "{\"error\": \"Not found\"}");
		this.http.get("/admin/v1/companies", ADMIN_TOKEN).is(405, "{\"error\": \"Method GET not allowed\"}");
	}

	/** With no admin token configured, {@code /admin} does not exist. */
	@Nested
	@NestedTestConfiguration(NestedTestConfiguration.EnclosingConfiguration.OVERRIDE)
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "journeys.admin.token=")
	@ContextConfiguration(initializers = TestDatabaseInitializer.class)
	@Import(WithoutAnAdminToken.SettableClock.class)
	class WithoutAnAdminToken {

		/**
		 * The enclosing test instance is injected from this context too, and wants its
		 * clock.
		 */
		@TestConfiguration(proxyBeanMethods = false)
		static class SettableClock {

			@Bean
			@Primary
			MutableClock mutableClock() {
				return new MutableClock();
			}

		}

		@LocalServerPort
		int unconfiguredPort;

		@Test
		void everyAdminPathAnswers404() {
			Http unconfigured = new Http(this.unconfiguredPort);
			for (String token : java.util.Arrays.asList(null, "", ADMIN_TOKEN, "anything")) {
				for (String path : List.of("/admin", "/admin/v1/companies", "/admin/v1/companies/" + UUID.randomUUID(),
						"/admin/v1/api_keys/" + UUID.randomUUID(), "/admin/anything")) {
					unconfigured.get(path, token).is(404, "{\"error\": \"Not found\"}");
				}
				unconfigured.post("/admin/v1/companies", token, "{\"name\": \"Acme\"}")
					.is(404, "{\"error\": \"Not found\"}");
				unconfigured.delete("/admin/v1/api_keys/" + UUID.randomUUID(), token)
					.is(404, "{\"error\": \"Not found\"}");
			}
			// /v1 is unaffected: still a 401 without a key
			unconfigured.get("/v1/contacts", null).is(401, API_401);
		}

	}

}
