package io.journeys.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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

	/**
	 * {@code ways}: for a branch or a split, how many enrollments took each way;
	 * {@code waitingOnPausedDestination}: for a webhook step, the due enrollments its
	 * destination's pause holds back (0 while it is active).
	 */
	public record StepStats(String stepId, long waiting, long due, long retrying,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<WayCount> ways,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long waitingOnPausedDestination) {

		public StepStats(String stepId, long waiting, long due, long retrying, @Nullable List<WayCount> ways) {
			this(stepId, waiting, due, retrying, ways, null);
		}

	}

	/**
	 * Each webhook step's due enrollments count as waiting when its URL is among
	 * {@code pausedUrls}.
	 */
	JourneyStats withDestinations(List<Step> steps, Set<String> pausedUrls) {
		List<StepStats> shown = new ArrayList<>();
		for (int i = 0; i < this.steps.size(); i++) {
			StepStats at = this.steps.get(i);
			Step step = steps.get(i);
			shown.add(!step.isWebhook() ? at : new StepStats(at.stepId(), at.waiting(), at.due(), at.retrying(),
					at.ways(), pausedUrls.contains(step.url()) ? at.due() : 0L));
		}
		return new JourneyStats(shown, this.notStarted, this.completed, this.exited, this.actionFailed,
				this.goalReached);
	}

	public record WayCount(@JsonUnwrapped Way way, long count) {
	}

}
