package io.journeys.ratelimit;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.journeys.persistence.DatabaseFailures;
import io.journeys.web.ErrorWriter;
import io.journeys.web.FilterOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Bucket4j on PostgreSQL ({@code rate_limit_buckets}, by company:
 * {@link CompanyBuckets}), and the filter, after security.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "journeys.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	@Bean
	CompanyBuckets rateLimitBuckets(DataSource dataSource) {
		return new CompanyBuckets(dataSource,
				ClientSideConfig.getDefault()
					.withExpirationAfterWriteStrategy(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(5)))
					.withRequestTimeout(Duration.ofSeconds(2)));
	}

	@Bean
	BucketPurge rateLimitBucketPurge(DataSource dataSource) {
		return new BucketPurge(JdbcClient.create(dataSource));
	}

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(CompanyBuckets buckets, RateLimitProperties properties,
			ErrorWriter errors) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(buckets, properties, errors));
		registration.setOrder(FilterOrder.RATE_LIMIT);
		return registration;
	}

	/**
	 * Deletes the buckets that have been idle long enough to be full again (Bucket4j
	 * stores when that is, in Unix milliseconds): without it the table keeps a row for
	 * every API key and policy it has seen. One plain {@code DELETE}, not Bucket4j's
	 * {@code removeExpired}, whose {@code FOR UPDATE SKIP LOCKED} subquery Citus refuses
	 * across shards; a bucket being written meanwhile is waited for, and kept when its
	 * write moved its expiry.
	 */
	static final class BucketPurge {

		private static final Logger log = LoggerFactory.getLogger(BucketPurge.class);

		private final JdbcClient jdbc;

		BucketPurge(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Scheduled(fixedDelayString = "${journeys.rate-limit.purge-interval:10m}", initialDelayString = "1m")
		int purge() {
			try {
				int purged = this.jdbc.sql("delete from rate_limit_buckets where expires_at < :now")
					.param("now", System.currentTimeMillis())
					.update();
				if (purged > 0) {
					log.info("purged {} idle rate limit buckets", purged);
				}
				return purged;
			}
			catch (RuntimeException ex) {
				log.warn("could not purge rate limit buckets: {}", DatabaseFailures.describe(ex));
				return 0;
			}
		}

	}

}
