package io.journeys.journey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Published in the transaction that changes the steps, which holds the journey row
 * {@code FOR UPDATE}; {@code before} is null when there were none.
 */
public record StepsChanged(UUID companyId, UUID journeyId, @Nullable List<Step> before, List<Step> after, Instant now) {

}
