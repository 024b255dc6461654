package io.journeys.idempotency;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl how long a stored answer is replayed
 * @param staleAfter how long a first request may run before a retry may take its key
 * @param purgeInterval how often expired keys are deleted
 */
@ConfigurationProperties("journeys.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration ttl, @DefaultValue("2m") Duration staleAfter,
		@DefaultValue("10m") Duration purgeInterval) {

}
