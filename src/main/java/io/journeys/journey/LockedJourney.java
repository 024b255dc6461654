package io.journeys.journey;

import java.util.UUID;

/** {@code state}: as it was when locked. */
public record LockedJourney(UUID id, JourneyState state) {

}
