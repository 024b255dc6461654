package io.journeys.enrollment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code journeys_enrollments_total} and the request size summary move with real
 * enrollments.
 */
class EnrollmentMetricsTests extends ApiTests {

	@Test
	void enrollmentsAreCountedByOutcome() {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		String enroll = "/v1/journeys/" + journey + "/enroll";
		contacts(tenant, "active", "a@example.com", "b@example.com", "c@example.com");
		String before = scrape();

		this.http
			.post(enroll, tenant.token(),
					"{\"contact_email_addresses\": [\"a@example.com\", \"b@example.com\", \"nobody@example.com\"]}")
			.hasStatus(200);
		this.http.post(enroll, tenant.token(), "{\"contact_email_addresses\": [\"a@example.com\"]}").hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/complete", tenant.token(),
					"{\"contact_email_addresses\": [\"b@example.com\"]}")
			.hasStatus(200);
		this.http.post(enroll, tenant.token(), "{\"contact_email_addresses\": [\"b@example.com\"]}").hasStatus(200);
		this.http.post("/v1/journeys/nope/enroll", tenant.token(), "{\"contact_email_addresses\": [\"c@example.com\"]}")
			.hasStatus(404);
		String after = scrape();

		assertThat(delta(before, after, "journeys_enrollments_total{outcome=\"enrolled\"}")).isEqualTo(2);
		assertThat(delta(before, after, "journeys_enrollments_total{outcome=\"not_found\"}")).isEqualTo(1);
		assertThat(delta(before, after, "journeys_enrollments_total{outcome=\"already_enrolled\"}")).isEqualTo(1);
		assertThat(delta(before, after, "journeys_enrollments_total{outcome=\"recently_completed\"}")).isEqualTo(1);
		String contacts = "{field=\"contact_email_addresses\"}";
		assertThat(delta(before, after, "journeys_enroll_request_emails_count" + contacts)).isEqualTo(4);
		assertThat(delta(before, after, "journeys_enroll_request_emails_sum" + contacts)).isEqualTo(6);
		assertThat(after).contains("journeys_enroll_request_emails_bucket{field=\"list_email_addresses\"");
	}

	private String scrape() {
		return this.http.get("/actuator/prometheus", null).hasStatus(200).body();
	}

	private static double delta(String before, String after, String series) {
		return value(after, series) - value(before, series);
	}

	private static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
		assertThat(matcher.find()).as("%s in the scrape", series).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

}
