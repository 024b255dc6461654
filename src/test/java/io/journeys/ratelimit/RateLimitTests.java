package io.journeys.ratelimit;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key that spends its bucket gets 429 with Retry-After; other keys are not affected.
 */
@TestPropertySource(properties = { "journeys.rate-limit.capacity=5", "journeys.rate-limit.period=1h",
		"journeys.rate-limit.sync-tolerance=0" })
class RateLimitTests extends ApiTests {

	@Test
	void aKeyThatSpendsItsBucketIsRefusedWithRetryAfter() {
		Tenant tenant = newTenant();
		for (int i = 0; i < 5; i++) {
			Response response = this.http.get("/v1/journeys", tenant.token()).hasStatus(200);
			assertThat(response.header("RateLimit-Policy")).isEqualTo("\"default\";q=5;w=3600");
			assertThat(response.header("RateLimit")).startsWith("\"default\";r=" + (4 - i) + ";t=");
		}
		Response refused = this.http.get("/v1/journeys", tenant.token());
		refused.is(429, "{\"error\": \"Rate limit exceeded; retry later\"}");
		assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
		assertThat(refused.header("RateLimit")).startsWith("\"default\";r=0;t=");

		Tenant other = newTenant();
		this.http.get("/v1/journeys", other.token()).hasStatus(200);
	}

}
