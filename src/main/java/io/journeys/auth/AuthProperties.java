package io.journeys.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param keyCacheTtl how long a key lookup is remembered: how long a revoked key may
 * still work on other instances
 * @param keyCacheSize how many key lookups are remembered at most
 */
@ConfigurationProperties("journeys.auth")
public record AuthProperties(@DefaultValue("2s") Duration keyCacheTtl, @DefaultValue("10000") long keyCacheSize) {

}
