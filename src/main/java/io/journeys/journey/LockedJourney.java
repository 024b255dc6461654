package io.journeys.journey;

import java.util.UUID;

/** A journey locked for the current transaction, with the state it had when locked. */
public record LockedJourney(UUID id, JourneyState state) {

}
