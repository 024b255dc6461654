package io.journeys.journey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Published inside the transaction that changes a journey's steps, while it holds the
 * journey row {@code FOR UPDATE}: listeners move the journey's active enrollments so that
 * each stands at a step that exists ({@code before} is null when the journey had no
 * steps).
 */
public record StepsChanged(UUID companyId, UUID journeyId, @Nullable List<Step> before, List<Step> after, Instant now) {

}
