package io.journeys.ratelimit;

import java.util.UUID;

import io.journeys.support.RepositoryTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buckets whose expiry has passed are deleted; the others stay.
 */
@RepositoryTest
class RateLimitPurgeTests {

	@Autowired
	RateLimitConfiguration.BucketPurge purge;

	@Autowired
	JdbcClient jdbc;

	@Test
	void expiredBucketsAreDeletedAndLiveOnesKept() {
		UUID company = UUID.randomUUID();
		String expired = "purge-test:" + UUID.randomUUID();
		String live = "purge-test:" + UUID.randomUUID();
		insert(company, expired, System.currentTimeMillis() - 60_000);
		insert(company, live, System.currentTimeMillis() + 3_600_000);

		assertThat(this.purge.purge()).isPositive();

		assertThat(exists(expired)).isFalse();
		assertThat(exists(live)).isTrue();
	}

	private void insert(UUID company, String id, long expiresAt) {
		this.jdbc.sql("insert into rate_limit_buckets (company_id, id, state, expires_at) values (?, ?, ?, ?)")
			.params(company, id, new byte[] { 1 }, expiresAt)
			.update();
	}

	private boolean exists(String id) {
		return this.jdbc.sql("select 1 from rate_limit_buckets where id = ?")
			.param(id)
			.query(Integer.class)
			.optional()
			.isPresent();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class Purge {

		@Bean
		RateLimitConfiguration.BucketPurge bucketPurge(JdbcClient jdbc) {
			return new RateLimitConfiguration.BucketPurge(jdbc);
		}

	}

}
