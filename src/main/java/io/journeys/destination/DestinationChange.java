package io.journeys.destination;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A destination paused by the circuit breaker or resumed by a probe or by hand. */
public record DestinationChange(UUID companyId, UUID destinationId, String origin, boolean paused,
		@Nullable String pausedReason, Instant at) {

}
