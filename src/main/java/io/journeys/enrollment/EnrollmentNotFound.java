package io.journeys.enrollment;

import io.journeys.web.NotFound;

class EnrollmentNotFound extends NotFound {

	EnrollmentNotFound() {
		super("Enrollment");
	}

}
