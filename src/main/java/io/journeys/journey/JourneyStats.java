package io.journeys.journey;

import java.util.List;

/**
 * {@code retrying}: waiting to retry a failed call; {@code actionFailed}: exited when a
 * webhook used up its calls; {@code goalReached}: exited when the goal's event came.
 */
public record JourneyStats(List<StepStats> steps, long notStarted, long completed, long exited, long actionFailed,
		long goalReached) {

	public record StepStats(String stepId, long waiting, long due, long retrying) {
	}

}
