package io.journeys.journey;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.journeys.journey.Decisions.Way;
import org.jspecify.annotations.Nullable;

/**
 * {@code retrying}: waiting to retry a failed call; {@code actionFailed}: exited when a
 * webhook used up its calls; {@code goalReached}: exited when the goal's event came.
 */
public record JourneyStats(List<StepStats> steps, long notStarted, long completed, long exited, long actionFailed,
		long goalReached) {

	/** {@code ways}: for a branch or a split, how many enrollments took each way. */
	public record StepStats(String stepId, long waiting, long due, long retrying,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<WayCount> ways) {
	}

	public record WayCount(@JsonUnwrapped Way way, long count) {
	}

}
