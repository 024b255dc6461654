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

	@org.springframework.beans.factory.annotation.Autowired
	private org.springframework.jdbc.core.simple.JdbcClient jdbc;

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

	/**
	 * Issue 19: every answer to a valid key carries the headers, a 413 included (it is
	 * counted like any other request of the key); a 401 has no key to count against and
	 * carries none, as both documents say.
	 */
	@Test
	void everyAnswerToAKeyCarriesTheHeadersAndA401None() {
		Tenant tenant = newTenant();
		Response tooLarge = this.http.post("/v1/contacts", tenant.token(),
				"{\"email_address\": \"" + "a".repeat(1_100_000) + "@x.com\"}");
		tooLarge.hasStatus(413);
		assertThat(tooLarge.header("RateLimit-Policy")).isEqualTo("\"default\";q=5;w=3600");
		assertThat(tooLarge.header("RateLimit")).startsWith("\"default\";r=4;t=");
		Response missing = this.http.post("/v1/contacts", tenant.token(), "{}");
		missing.hasStatus(422);
		assertThat(missing.header("RateLimit")).startsWith("\"default\";r=3;t=");

		for (String token : new String[] { null, "jrn_not-a-key", tenant.token() + "x" }) {
			Response unauthorized = this.http.get("/v1/journeys", token);
			unauthorized.hasStatus(401);
			assertThat(unauthorized.headers().firstValue("RateLimit")).isEmpty();
			assertThat(unauthorized.headers().firstValue("RateLimit-Policy")).isEmpty();
		}
		java.util.Map<String, Object> description = io.journeys.support.Response.JSON
			.readValue(java.nio.file.Path.of("docs", "openapi.json").toFile(), java.util.Map.class);
		assertThat(description).extractingByKey("components")
			.extracting("responses")
			.extracting("Unauthorized")
			.extracting("headers")
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsKey("WWW-Authenticate")
			.doesNotContainKeys("RateLimit", "RateLimit-Policy");
	}

	/**
	 * Issue 24: a key's bucket is a row of its company's, and on Citus lives in the
	 * company's shard group, so its limit depends on the company's own worker only.
	 */
	@Test
	void aKeysBucketLivesWithItsCompany() {
		Tenant tenant = newTenant();
		this.http.get("/v1/journeys", tenant.token()).hasStatus(200);
		assertThat(this.jdbc.sql("select count(*) from rate_limit_buckets where company_id = :company")
			.param("company", java.util.UUID.fromString(tenant.companyId()))
			.query(Long.class)
			.single()).isEqualTo(1);
		boolean citus = this.jdbc.sql("select count(*) from pg_extension where extname = 'citus'")
			.query(Long.class)
			.single() > 0;
		if (citus) {
			assertThat(this.jdbc.sql("""
					select count(distinct colocationid) from pg_dist_partition
					where logicalrelid in ('rate_limit_buckets'::regclass, 'contacts'::regclass)
					""").query(Long.class).single()).as("colocated with the tenant tables").isEqualTo(1);
			assertThat(this.jdbc.sql("""
					select column_to_column_name(logicalrelid, partkey) from pg_dist_partition
					where logicalrelid = 'rate_limit_buckets'::regclass
					""").query(String.class).single()).isEqualTo("company_id");
		}
	}

}
