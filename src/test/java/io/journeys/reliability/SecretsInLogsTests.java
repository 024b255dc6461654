package io.journeys.reliability;

import java.util.Map;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 6 and 7: no token ever reaches the log, and the request id is on the request's
 * lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsInLogsTests extends ApiTests {

	@Test
	void tokensNeverAppearInTheLog(CapturedOutput output) {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", tenant.token(), "{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token() + "x", "{}").hasStatus(401);
		this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), "{not json").hasStatus(400);
		this.http.get("/admin/v1/companies/" + tenant.companyId(), "wrong-admin-token").hasStatus(401);
		this.http.delete("/admin/v1/api_keys/" + tenant.keyId(), ADMIN_TOKEN).hasStatus(204);
		this.http.get("/v1/journeys", tenant.token()).hasStatus(401);
		assertThat(output.getAll()).doesNotContain(tenant.token())
			.doesNotContain(tenant.token().substring(4, 20))
			.doesNotContain(ADMIN_TOKEN)
			.doesNotContain("wrong-admin-token");
	}

	@Test
	void theRequestIdIsEchoedAndLogged(CapturedOutput output) {
		Tenant tenant = newTenant();
		var response = this.http.send("GET", "/v1/journeys/nope",
				Map.of("Authorization", "Bearer " + tenant.token(), "X-Request-Id", "trace-me-4711"), null);
		response.is(404, "{\"error\": \"Journey not found\"}");
		assertThat(response.header("X-Request-Id")).isEqualTo("trace-me-4711");
		var generated = this.http.get("/v1/journeys", tenant.token());
		assertThat(generated.header("X-Request-Id")).isNotBlank();
		var another = this.http.get("/v1/journeys", tenant.token());
		assertThat(another.header("X-Request-Id")).isNotEqualTo(generated.header("X-Request-Id"));
		// a failing request logs, and its line carries the id
		this.http.send("POST", "/v1/journeys/nope/enroll", Map.of("Authorization", "Bearer " + tenant.token(),
				"Content-Type", "application/json", "X-Request-Id", "trace-me-0815"), "{}".getBytes());
		assertThat(output.getAll()).contains("[trace-me-0815]");
	}

}
