package io.journeys.destination;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * {@code callsLastHour} and {@code failuresLastHour}: by whole minutes, the current one
 * included.
 */
public record DestinationView(String object, UUID id, String origin, String state, @Nullable String pausedReason,
		@Nullable Instant pausedAt, @Nullable Integer maxPerSecond, long callsLastHour, long failuresLastHour,
		Instant createdAt, Instant updatedAt) {

}
