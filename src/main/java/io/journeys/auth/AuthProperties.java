package io.journeys.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API key checking.
 *
 * @param keyCacheTtl how long a key lookup is remembered; a revoked key stops working on
 * every instance within this time (on the instance that revoked it, at once)
 * @param keyCacheSize how many key lookups are remembered at most
 */
@ConfigurationProperties("journeys.auth")
public record AuthProperties(@DefaultValue("2s") Duration keyCacheTtl, @DefaultValue("10000") long keyCacheSize) {

}
