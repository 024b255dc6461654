package io.journeys.journey;

import io.journeys.web.NotFound;

/** No journey with that id in the caller's company. */
public class JourneyNotFound extends NotFound {

	public JourneyNotFound() {
		super("Journey");
	}

}
