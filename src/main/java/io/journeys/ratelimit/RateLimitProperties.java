package io.journeys.ratelimit;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits per API key, shared by all instances.
 *
 * @param enabled whether {@code /v1} requests are limited at all
 * @param capacity requests a key may make per {@code period} (also the burst size)
 * @param period the window in which {@code capacity} requests refill
 * @param syncTolerance fraction of {@code capacity} an instance may hand out before it
 * synchronizes with the shared bucket (exactness traded for round trips)
 * @param purgeInterval how often buckets idle long enough to be full again are deleted
 */
@ConfigurationProperties("journeys.rate-limit")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue("5000") long capacity,
		@DefaultValue("1s") Duration period, @DefaultValue("0.05") double syncTolerance,
		@DefaultValue("10m") Duration purgeInterval) {

	long unsynchronizedTokens() {
		return Math.max(1, (long) (this.capacity * this.syncTolerance));
	}

}
