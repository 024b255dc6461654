package io.journeys.enrollment;

import io.journeys.web.NotFound;

/** An enrollment id that names no enrollment of the journey: 404. */
class EnrollmentNotFound extends NotFound {

	EnrollmentNotFound() {
		super("Enrollment");
	}

}
