package io.journeys.journey;

import java.time.Instant;
import java.util.UUID;

/** A journey as the API shows it. */
public record JourneyView(String object, UUID id, String name, String state, Instant createdAt, Instant updatedAt) {

}
