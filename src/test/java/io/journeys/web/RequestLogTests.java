package io.journeys.web;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** One log line per request, with what an operator needs and nothing secret. */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogTests extends ApiTests {

	@Test
	void logsMethodTemplateStatusDurationCompanyAndRequestId(CapturedOutput output) {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		String requestId = "log-" + UUID.randomUUID();
		String secretEmail = "secret-" + UUID.randomUUID() + "@example.com";
		this.http
			.send("POST", "/v1/journeys/" + journey + "/enroll?debug=" + secretEmail,
					Map.of("Authorization", "Bearer " + tenant.token(), "Content-Type", "application/json",
							"X-Request-Id", requestId),
					("{\"contact_email_addresses\": [\"" + secretEmail + "\"]}").getBytes())
			.hasStatus(200);

		String line = awaitLine(output, "request_id=" + requestId);
		assertThat(line).contains("io.journeys.web.RequestLogFilter")
			.contains("request method=POST path=/v1/journeys/{id}/enroll status=200 duration_ms=")
			.contains("company_id=" + tenant.companyId())
			.contains("[" + requestId + "]");
		assertThat(output.getAll()).doesNotContain(tenant.token())
			.doesNotContain(ADMIN_TOKEN)
			.doesNotContain(secretEmail);
	}

	@Test
	void logsRefusedRequestsAndUnknownRoutesWithTheRawPath(CapturedOutput output) {
		String refused = "refused-" + UUID.randomUUID();
		this.http
			.send("GET", "/v1/contacts", Map.of("X-Request-Id", refused, "Authorization", "Bearer jrn_guess"), null)
			.hasStatus(401);
		assertThat(awaitLine(output, "request_id=" + refused))
			.contains("request method=GET path=/v1/contacts status=401 duration_ms=")
			.contains("company_id=-")
			.doesNotContain("jrn_guess");

		String unknown = "unknown-" + UUID.randomUUID();
		this.http.send("GET", "/no/such/route", Map.of("X-Request-Id", unknown), null).hasStatus(404);
		assertThat(awaitLine(output, "request_id=" + unknown))
			.contains("request method=GET path=/no/such/route status=404");

		String hidden = "hidden-" + UUID.randomUUID();
		this.http.send("GET", "/v1/contacts/alice@example.com/jrn_4711secret/x", Map.of("X-Request-Id", hidden), null);
		assertThat(awaitLine(output, "request_id=" + hidden)).contains("path=/v1/contacts/*/*/x ")
			.doesNotContain("alice")
			.doesNotContain("4711");
	}

	/**
	 * The line is written when the filter returns, which may be just after the client has
	 * the answer.
	 */
	private static String awaitLine(CapturedOutput output, String needle) {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (Instant.now().isBefore(deadline)) {
			for (String line : output.getOut().split("\\R")) {
				if (line.contains(needle)) {
					return line;
				}
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		throw new AssertionError("no log line with " + needle);
	}

}
