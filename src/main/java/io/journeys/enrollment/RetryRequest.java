package io.journeys.enrollment;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Which failed enrollments a bulk retry puts back; every filter is optional.
 * {@code exitReason}: only {@code action_failed} can be retried, so absent means it.
 * {@code since}: exited at or after.
 */
record RetryRequest(@Nullable String exitReason, @Nullable String stepId, @Nullable Instant since) {

	static final String ACTION_FAILED = "action_failed";

}
