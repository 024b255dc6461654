package io.journeys.support;

import java.net.http.HttpHeaders;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** An HTTP answer, with assertions on exact JSON bodies. */
public record Response(int status, HttpHeaders headers, String body) {

	public static final JsonMapper JSON = JsonMapper.builder().build();

	public JsonNode json() {
		return JSON.readTree(this.body);
	}

	public String header(String name) {
		return this.headers.firstValue(name).orElse(null);
	}

	/** Asserts the status and that the body is exactly this JSON (key order aside). */
	public Response is(int expectedStatus, String expectedJson) {
		assertThat(this.status).as("status of %s", this.body).isEqualTo(expectedStatus);
		assertThat(this.header("Content-Type")).as("content type").startsWith("application/json");
		assertThat(json()).as("body").isEqualTo(JSON.readTree(expectedJson));
		return this;
	}

	public Response hasStatus(int expectedStatus) {
		assertThat(this.status).as("status of %s", this.body).isEqualTo(expectedStatus);
		return this;
	}

	public String text(String field) {
		return json().get(field).asString();
	}

}
