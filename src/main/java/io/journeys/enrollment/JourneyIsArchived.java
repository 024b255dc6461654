package io.journeys.enrollment;

import io.journeys.validation.Unprocessable;

/** An archived journey runs nothing again. */
class JourneyIsArchived extends Unprocessable {

	JourneyIsArchived() {
		super("Journey is archived: its enrollments can't be retried");
	}

}
