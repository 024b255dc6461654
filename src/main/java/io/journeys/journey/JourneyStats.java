package io.journeys.journey;

import java.util.List;

/**
 * Where a journey's enrollments stand: the active ones per step (waiting in it, due now,
 * or waiting to retry a failed call), those not started yet, and how many completed,
 * exited, and exited because a webhook used up its calls.
 */
public record JourneyStats(List<StepStats> steps, long notStarted, long completed, long exited, long actionFailed) {

	/** The active enrollments at one step. */
	public record StepStats(String stepId, long waiting, long due, long retrying) {
	}

}
