package io.journeys.enrollment;

import io.journeys.journey.JourneyState;
import io.journeys.validation.Unprocessable;

/** Enroll asked of a journey that is not {@code on}. */
class JourneyNotOn extends Unprocessable {

	JourneyNotOn(JourneyState state) {
		super("Journey must be in 'on' state to enroll people. Current state: " + state.value());
	}

}
