package io.journeys.journey;

import java.time.Instant;
import java.util.UUID;

/** Published while the archiving transaction holds the journey {@code FOR UPDATE}. */
public record JourneyArchived(UUID companyId, UUID journeyId, Instant now) {

}
