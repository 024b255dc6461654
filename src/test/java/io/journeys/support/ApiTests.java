package io.journeys.support;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the end-to-end tests: the whole service on a random port, over real HTTP, on
 * the real PostgreSQL of {@link TestDatabase}. Each test makes its own company, so tests
 * never share data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "journeys.admin.token=" + ApiTests.ADMIN_TOKEN,
				// the runner's tests run its passes themselves, at the times they set
				"journeys.runner.enabled=false", "journeys.webhook.allow-http=true",
				"journeys.webhook.allow-private=true", "journeys.webhook.secret-key=test-webhook-secret-key" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@Import(ApiTests.TestClock.class)
public abstract class ApiTests {

	public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

	@LocalServerPort
	protected int port;

	@Autowired
	protected MutableClock clock;

	protected Http http;

	@BeforeEach
	void startHttp() {
		this.http = new Http(this.port);
		this.clock.reset();
	}

	/** A new company with one API key. */
	protected Tenant newTenant() {
		Response company = this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"Acme\"}").hasStatus(201);
		String companyId = company.text("id");
		Response key = this.http
			.post("/admin/v1/companies/" + companyId + "/api_keys", ADMIN_TOKEN, "{\"name\": \"test\"}")
			.hasStatus(201);
		return new Tenant(companyId, key.text("id"), key.text("token"));
	}

	protected String journey(Tenant tenant, String state) {
		String id = this.http.post("/v1/journeys", tenant.token(), "{\"name\": \"Onboarding\"}")
			.hasStatus(201)
			.text("id");
		if (!state.equals("draft")) {
			if (state.equals("off")) {
				this.http.patch("/v1/journeys/" + id, tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
			}
			this.http.patch("/v1/journeys/" + id, tenant.token(), "{\"state\": \"" + state + "\"}").hasStatus(200);
		}
		return id;
	}

	protected void contacts(Tenant tenant, String status, String... emails) {
		String items = Arrays.stream(emails)
			.map(email -> "{\"email_address\": \"" + email + "\", \"status\": \"" + status + "\"}")
			.collect(Collectors.joining(","));
		this.http.post("/v1/contacts/bulk", tenant.token(), "{\"contacts\": [" + items + "]}").hasStatus(200);
	}

	protected String list(Tenant tenant, String email, String... members) {
		String id = this.http
			.post("/v1/lists", tenant.token(), "{\"name\": \"List\", \"email_address\": \"" + email + "\"}")
			.hasStatus(201)
			.text("id");
		if (members.length > 0) {
			this.http
				.post("/v1/lists/" + id + "/members", tenant.token(),
						"{\"contact_email_addresses\": " + jsonArray(List.of(members)) + "}")
				.hasStatus(200);
		}
		return id;
	}

	/** The exact JSON of a collection whose rows all fit on one page. */
	protected static String onePage(int limit, String... rows) {
		return "{\"object\": \"array\", \"data\": [" + String.join(", ", rows) + "], \"has_more\": false,"
				+ " \"next\": null, \"limit\": " + limit + ", \"size\": " + rows.length + "}";
	}

	/**
	 * Reads a collection from {@code path} to its last page by following {@code next},
	 * checks the shape of every page, and returns all rows in the order they came.
	 */
	protected List<JsonNode> walk(String path, String token) {
		List<JsonNode> rows = new ArrayList<>();
		String next = path;
		for (int pages = 1; next != null; pages++) {
			assertThat(pages).as("pages read from %s", path).isLessThan(10_000);
			JsonNode page = this.http.get(next, token).hasStatus(200).json();
			JsonNode data = page.get("data");
			assertThat(page.get("object").asString()).isEqualTo("array");
			assertThat(page.get("size").asInt()).isEqualTo(data.size());
			boolean hasMore = page.get("has_more").asBoolean();
			assertThat(page.get("next").isNull()).as("next is null on the last page only").isEqualTo(!hasMore);
			if (hasMore) {
				assertThat(data.size()).as("a page that is not the last is full").isEqualTo(page.get("limit").asInt());
			}
			data.forEach(rows::add);
			next = hasMore ? page.get("next").asString() : null;
		}
		return rows;
	}

	/** The query parameters of a URL such as a collection's {@code next}, decoded. */
	protected static Map<String, String> queryOf(String url) {
		Map<String, String> params = new LinkedHashMap<>();
		int start = url.indexOf('?');
		if (start < 0) {
			return params;
		}
		for (String pair : url.substring(start + 1).split("&")) {
			int eq = pair.indexOf('=');
			String name = eq < 0 ? pair : pair.substring(0, eq);
			String value = eq < 0 ? "" : pair.substring(eq + 1);
			params.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return params;
	}

	/** A query parameter value, percent-encoded. */
	protected static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	protected static String jsonArray(List<String> values) {
		return values.stream().map(value -> "\"" + value + "\"").collect(Collectors.joining(",", "[", "]"));
	}

	/** A company and the token of one of its keys. */
	public record Tenant(String companyId, String keyId, String token) {
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestClock {

		@Bean
		@Primary
		MutableClock mutableClock() {
			return new MutableClock();
		}

	}

}
