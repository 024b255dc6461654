package io.journeys.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.journeys.ratelimit.CompanyBuckets.Key;
import io.journeys.support.RepositoryTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CompanyBuckets} on PostgreSQL: a bucket is stored under its company, so two
 * companies' buckets of the same id count apart, and removing one leaves the other.
 */
@RepositoryTest
class CompanyBucketsTests {

	private static final BucketConfiguration TWO_AN_HOUR = BucketConfiguration.builder()
		.addLimit(limit -> limit.capacity(2).refillGreedy(2, Duration.ofHours(1)))
		.build();

	@Autowired
	CompanyBuckets buckets;

	@Autowired
	JdbcClient jdbc;

	private BucketProxy bucket(Key key) {
		return this.buckets.builder().build(key, () -> TWO_AN_HOUR);
	}

	@Test
	void eachCompanyHasItsOwnBucketOfTheSameId() {
		String id = "key-" + UUID.randomUUID() + ":2/3600000ms";
		Key ours = new Key(UUID.randomUUID(), id);
		Key theirs = new Key(UUID.randomUUID(), id);

		assertThat(List.of(bucket(ours).tryConsume(1), bucket(ours).tryConsume(1), bucket(ours).tryConsume(1)))
			.containsExactly(true, true, false);
		assertThat(bucket(theirs).tryConsume(1)).as("the other company's bucket of the same id").isTrue();

		assertThat(this.jdbc.sql("select count(*) from rate_limit_buckets where id = :id and expires_at > :now")
			.param("id", id)
			.param("now", System.currentTimeMillis())
			.query(Long.class)
			.single()).as("one row per company, kept until it would be full again").isEqualTo(2);
	}

	@Test
	void removingABucketLeavesTheOtherCompanysOfTheSameId() {
		String id = "key-" + UUID.randomUUID() + ":2/3600000ms";
		Key ours = new Key(UUID.randomUUID(), id);
		Key theirs = new Key(UUID.randomUUID(), id);
		bucket(ours).tryConsume(2);
		bucket(theirs).tryConsume(2);

		this.buckets.removeProxy(ours);

		assertThat(this.jdbc.sql("select company_id from rate_limit_buckets where id = :id")
			.param("id", id)
			.query(UUID.class)
			.list()).containsExactly(theirs.companyId());
		assertThat(bucket(ours).tryConsume(1)).as("a new, full bucket").isTrue();
		assertThat(bucket(theirs).tryConsume(1)).as("still empty").isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class Buckets {

		/** As {@code RateLimitConfiguration} makes it. */
		@Bean
		CompanyBuckets companyBuckets(DataSource dataSource) {
			return new CompanyBuckets(dataSource, ClientSideConfig.getDefault()
				.withExpirationAfterWriteStrategy(
						ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(5)))
				.withRequestTimeout(Duration.ofSeconds(2)));
		}

	}

}
