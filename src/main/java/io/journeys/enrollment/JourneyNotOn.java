package io.journeys.enrollment;

import io.journeys.journey.JourneyState;
import io.journeys.validation.Unprocessable;

class JourneyNotOn extends Unprocessable {

	JourneyNotOn(JourneyState state) {
		super("Journey must be in 'on' state to enroll people. Current state: " + state.value());
	}

}
