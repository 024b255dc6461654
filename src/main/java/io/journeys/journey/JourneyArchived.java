package io.journeys.journey;

import java.time.Instant;
import java.util.UUID;

/**
 * Published inside the transaction that archives a journey with steps, while it holds the
 * journey row {@code FOR UPDATE}: its active enrollments exit.
 */
public record JourneyArchived(UUID companyId, UUID journeyId, Instant now) {

}
