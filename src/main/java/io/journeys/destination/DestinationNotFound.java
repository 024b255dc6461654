package io.journeys.destination;

import io.journeys.web.NotFound;

class DestinationNotFound extends NotFound {

	DestinationNotFound() {
		super("Destination");
	}

}
