package io.journeys.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service answers is what it stored: strings that are not valid Unicode never
 * get in (a lone surrogate once came back as {@code ?}), and every string field of every
 * resource reads back exactly as its create or change answered it.
 */
class StoredAsAnsweredTests extends ApiTests {

	/** Text that is valid JSON but not valid Unicode, as a JSON string's content. */
	private static final List<byte[]> NOT_UNICODE = List.of(ascii("x\\ud800y"), ascii("x\\udfffy"),
			ascii("x\\udc00\\ud800y"), ascii("x\\ud83dy\\ude00"), bytes("x", 0xc0, 0xaf, "y"),
			bytes("x", 0xf4, 0x90, 0x80, 0x80, "y"), bytes("x", 0xed, 0xa0, 0x80, "y"), bytes("x", 0xff, "y"),
			bytes("x", 0xe2, 0x82, "y"));

	/** Valid but unusual strings: each must come back exactly. */
	private static final List<String> ODD = List.of("😀 astral", "e\u0301 combining", "\u202e right-to-left",
			"non-character \uFFFF \uFDD0", "escaped \\ud800 text", "control \u0001 \t tab", "zero\u200Bwidth",
			"\uD83D\uDC69\u200D\uD83D\uDCBB");

	@Test
	void stringsThatAreNotUnicodeAre400OnEveryWriteAndChangeNothing() {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		contacts(tenant, "active", "kept@example.com");
		String contact = this.http.get("/v1/contacts?email_address=kept@example.com", tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		String list = list(tenant, "team@example.com", "kept@example.com");
		Map<String, String> before = snapshot(tenant, journey, list);
		List<Write> writes = List.of(new Write("POST", "/v1/contacts", "{\"email_address\": \"a%s@example.com\"}"),
				new Write("POST", "/v1/contacts", "{\"email_address\": \"b@example.com\", \"first_name\": \"%s\"}"),
				new Write("PATCH", "/v1/contacts/" + contact, "{\"last_name\": \"%s\"}"),
				new Write("POST", "/v1/contacts/bulk", "{\"contacts\": [{\"email_address\": \"q%s@example.com\"}]}"),
				new Write("POST", "/v1/lists", "{\"name\": \"%s\", \"email_address\": \"l@example.com\"}"),
				new Write("PATCH", "/v1/lists/" + list, "{\"name\": \"%s\"}"),
				new Write("POST", "/v1/lists/" + list + "/members", "{\"contact_email_addresses\": [\"%s\"]}"),
				new Write("POST", "/v1/journeys", "{\"name\": \"%s\"}"),
				new Write("PATCH", "/v1/journeys/" + journey, "{\"name\": \"%s\"}"),
				new Write("POST", "/v1/journeys/" + journey + "/enroll",
						"{\"contact_email_addresses\": [\"kept@example.com\", \"%s\"]}"),
				new Write("POST", "/v1/journeys/" + journey + "/enrollments/import",
						"{\"enrollments\": [{\"email_address\": \"kept%s@example.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\"}]}"));
		for (Write write : writes) {
			for (byte[] text : NOT_UNICODE) {
				Response answer = this.http.send(write.method(), write.path(),
						Map.of("Authorization", "Bearer " + tenant.token(), "Content-Type", "application/json"),
						write.body(text));
				assertThat(answer.status()).as("%s %s with %s", write.method(), write.path(), answer.body())
					.isEqualTo(400);
				assertThat(answer.text("error")).startsWith("request body is not valid JSON: it ");
			}
		}
		Response admin = this.http.send("POST", "/admin/v1/companies",
				Map.of("Authorization", "Bearer " + ADMIN_TOKEN, "Content-Type", "application/json"),
				new Write("POST", "", "{\"name\": \"%s\"}").body(NOT_UNICODE.get(0)));
		assertThat(admin.status()).isEqualTo(400);
		assertThat(snapshot(tenant, journey, list)).isEqualTo(before);
	}

	@Test
	void emailsThatOnceCollapsedIntoOneStoredValueAre400NotA500() {
		Tenant tenant = newTenant();
		this.http.post("/v1/contacts/bulk", tenant.token(),
				"{\"contacts\":[{\"email_address\":\"q\\ud800@example.com\"},{\"email_address\":\"q\\udfff@example.com\"}]}")
			.is(400, "{\"error\": \"request body is not valid JSON: it holds an unpaired surrogate escape \\\\ud800\"}");
		assertThat(this.http.get("/v1/contacts", tenant.token()).json().get("size").asInt()).isZero();
	}

	@Test
	void everyStringFieldReadsBackAsItWasAnswered() {
		Tenant tenant = newTenant();
		for (String odd : ODD) {
			String name = json(odd);
			Response contact = this.http
				.post("/v1/contacts", tenant.token(),
						"{\"email_address\": \"" + json(local(odd)) + "@example.com\", \"first_name\": \"" + name
								+ "\", \"last_name\": \"" + name + "\"}")
				.hasStatus(201);
			assertThat(contact.json().get("first_name").asString()).isEqualTo(odd);
			String contactPath = "/v1/contacts/" + contact.text("id");
			assertThat(this.http.get(contactPath, tenant.token()).json()).isEqualTo(contact.json());
			Response patched = this.http.patch(contactPath, tenant.token(), "{\"first_name\": \"" + name + "!\"}")
				.hasStatus(200);
			assertThat(patched.json().get("first_name").asString()).isEqualTo(odd + "!");
			assertThat(this.http.get(contactPath, tenant.token()).json()).isEqualTo(patched.json());

			Response bulk = this.http
				.post("/v1/contacts/bulk", tenant.token(),
						"{\"contacts\": [{\"email_address\": \"bulk" + json(local(odd))
								+ "@example.com\", \"first_name\": \"" + name + "\"}]}")
				.hasStatus(200);
			assertThat(bulk.json().get("created").asInt()).isEqualTo(1);
			JsonNode bulkRead = this.http
				.get("/v1/contacts?email_address=" + encode("bulk" + local(odd) + "@example.com"), tenant.token())
				.json()
				.get("data");
			assertThat(bulkRead.size()).isEqualTo(1);
			assertThat(bulkRead.get(0).get("first_name").asString()).isEqualTo(odd);

			Response list = this.http
				.post("/v1/lists", tenant.token(),
						"{\"name\": \"" + name + "\", \"email_address\": \"list" + json(local(odd)) + "@example.com\"}")
				.hasStatus(201);
			assertThat(list.json().get("name").asString()).isEqualTo(odd);
			String listPath = "/v1/lists/" + list.text("id");
			assertThat(this.http.get(listPath, tenant.token()).json()).isEqualTo(list.json());
			Response listPatched = this.http.patch(listPath, tenant.token(), "{\"name\": \"" + name + "?\"}")
				.hasStatus(200);
			assertThat(this.http.get(listPath, tenant.token()).json()).isEqualTo(listPatched.json());

			Response journey = this.http.post("/v1/journeys", tenant.token(), "{\"name\": \"" + name + "\"}")
				.hasStatus(201);
			assertThat(journey.json().get("name").asString()).isEqualTo(odd);
			String journeyPath = "/v1/journeys/" + journey.text("id");
			assertThat(this.http.get(journeyPath, tenant.token()).json()).isEqualTo(journey.json());
			Response journeyPatched = this.http.patch(journeyPath, tenant.token(), "{\"name\": \"" + name + "#\"}")
				.hasStatus(200);
			assertThat(this.http.get(journeyPath, tenant.token()).json()).isEqualTo(journeyPatched.json());

			Response company = this.http.post("/admin/v1/companies", ADMIN_TOKEN, "{\"name\": \"" + name + "\"}")
				.hasStatus(201);
			String companyPath = "/admin/v1/companies/" + company.text("id");
			assertThat(this.http.get(companyPath, ADMIN_TOKEN).json()).isEqualTo(company.json());
			Response key = this.http.post(companyPath + "/api_keys", ADMIN_TOKEN, "{\"name\": \"" + name + "\"}")
				.hasStatus(201);
			JsonNode listedKey = this.http.get(companyPath + "/api_keys", ADMIN_TOKEN).json().get("data").get(0);
			assertThat(listedKey.get("name").asString()).isEqualTo(key.text("name")).isEqualTo(odd);
		}
	}

	@Test
	void compressedBodiesAre415AndIdentityIsPlain() {
		Tenant tenant = newTenant();
		for (String encoding : List.of("gzip", "br", "deflate", "GZIP", "identity, gzip")) {
			this.http
				.send("POST", "/v1/contacts",
						Map.of("Authorization", "Bearer " + tenant.token(), "Content-Type", "application/json",
								"Content-Encoding", encoding),
						"{\"email_address\": \"gz@example.com\"}".getBytes(StandardCharsets.UTF_8))
				.hasStatus(415);
		}
		assertThat(this.http.get("/v1/contacts", tenant.token()).json().get("size").asInt()).isZero();
		this.http
			.send("POST", "/v1/contacts",
					Map.of("Authorization", "Bearer " + tenant.token(), "Content-Type", "application/json",
							"Content-Encoding", "gzip"),
					"{\"email_address\": \"gz@example.com\"}".getBytes())
			.is(415, "{\"error\": \"Content-Encoding gzip is not supported; send the body uncompressed\"}");
		this.http
			.send("POST", "/v1/contacts",
					Map.of("Authorization", "Bearer " + tenant.token(), "Content-Type", "application/json",
							"Content-Encoding", "identity"),
					"{\"email_address\": \"id@example.com\"}".getBytes())
			.hasStatus(201);
	}

	@Test
	void importRefusesTimesOutsideTheYearsItStoresWith422() {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		contacts(tenant, "active", "old@example.com");
		for (String time : List.of("0000-01-01T00:00:00Z", "-4713-11-24T00:00:00Z", "0001-01-01T00:00:00+01:00",
				"-999999999-01-01T00:00:00Z")) {
			this.http
				.post("/v1/journeys/" + journey + "/enrollments/import", tenant.token(),
						"{\"enrollments\": [{\"email_address\": \"old@example.com\", \"enrolled_at\": \"" + time
								+ "\", \"completed_at\": \"2020-01-01T00:00:00Z\"}]}")
				.is(422, "{\"error\": {\"enrollments[0].enrolled_at\": [\"is out of range\"]}}");
		}
		this.http.post("/v1/journeys/" + journey + "/enrollments/import", tenant.token(),
				"{\"enrollments\": [{\"email_address\": \"old@example.com\", \"enrolled_at\": \"0001-01-01T00:00:00Z\","
						+ " \"completed_at\": \"2020-01-01T00:00:00Z\"}]}")
			.is(200, "{\"imported_count\": 1, \"not_imported\": {\"not_found\": [], \"already_enrolled\": []}}");
		JsonNode stored = this.http.get("/v1/journeys/" + journey + "/enrollments", tenant.token())
			.json()
			.get("data")
			.get(0);
		assertThat(stored.get("enrolled_at").asString()).isEqualTo("0001-01-01T00:00:00Z");
	}

	@Test
	void memberEmailsLongerThan1000CharactersAre422NotEchoed() {
		Tenant tenant = newTenant();
		String list = list(tenant, "team@example.com");
		String huge = "a".repeat(20_000) + "@example.com";
		String expected = "{\"error\": {\"contact_email_addresses\": [\"has an entry that is too long (maximum is 1000 characters)\"]}}";
		this.http
			.post("/v1/lists/" + list + "/members", tenant.token(), "{\"contact_email_addresses\": [\"" + huge + "\"]}")
			.is(422, expected);
		this.http
			.delete("/v1/lists/" + list + "/members", tenant.token(),
					"{\"contact_email_addresses\": [\"" + huge + "\"]}")
			.is(422, expected);
	}

	private Map<String, String> snapshot(Tenant tenant, String journey, String list) {
		return Map.of("contacts", this.http.get("/v1/contacts", tenant.token()).body(), "lists",
				this.http.get("/v1/lists", tenant.token()).body(), "members",
				this.http.get("/v1/lists/" + list + "/members", tenant.token()).body(), "journeys",
				this.http.get("/v1/journeys", tenant.token()).body(), "enrollments",
				this.http.get("/v1/journeys/" + journey + "/enrollments", tenant.token()).body(), "companies",
				this.http.get("/admin/v1/companies/" + tenant.companyId() + "/api_keys", ADMIN_TOKEN).body());
	}

	/** An email local part made of the odd string: no spaces or {@code @}. */
	private static String local(String odd) {
		return odd.replaceAll("[\\s@\\u200B]", "_").toLowerCase(java.util.Locale.ROOT);
	}

	/** The string as the content of a JSON string literal. */
	private static String json(String text) {
		StringBuilder out = new StringBuilder();
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object part : parts) {
			if (part instanceof String text) {
				out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
			}
			else {
				out.write((Integer) part);
			}
		}
		return out.toByteArray();
	}

	/** A write whose body has one {@code %s} where the bad text goes. */
	private record Write(String method, String path, String template) {

		byte[] body(byte[] text) {
			int at = this.template.indexOf("%s");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.writeBytes(this.template.substring(0, at).getBytes(StandardCharsets.UTF_8));
			out.writeBytes(text);
			out.writeBytes(this.template.substring(at + 2).getBytes(StandardCharsets.UTF_8));
			return out.toByteArray();
		}

	}

}
