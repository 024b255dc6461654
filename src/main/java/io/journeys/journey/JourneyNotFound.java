package io.journeys.journey;

import io.journeys.web.NotFound;

public class JourneyNotFound extends NotFound {

	public JourneyNotFound() {
		super("Journey");
	}

}
