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
	 * Without it the table keeps a row per key and policy ever seen; Citus refuses the
	 * {@code SKIP LOCKED} subquery of Bucket4j's {@code removeExpired} across shards.
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
