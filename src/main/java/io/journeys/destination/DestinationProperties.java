package io.journeys.destination;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param failureWindow how far back the circuit breaker looks: a destination whose calls
 * all failed over it pauses
 * @param failureThreshold how many failed calls, at least, within the window
 * @param probeInterval how often a destination paused as failing is tried with one call
 * @param refreshInterval how often the state gauge is counted again
 */
@ConfigurationProperties("journeys.destinations")
public record DestinationProperties(@DefaultValue("5m") Duration failureWindow,
		@DefaultValue("20") int failureThreshold, @DefaultValue("1m") Duration probeInterval,
		@DefaultValue("30s") Duration refreshInterval) {

}
