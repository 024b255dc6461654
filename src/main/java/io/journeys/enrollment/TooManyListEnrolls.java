package io.journeys.enrollment;

import io.journeys.web.ApiProblem;
import org.springframework.http.HttpStatus;

/** Every slot for enrolls by list stayed busy for the whole wait: 503. */
class TooManyListEnrolls extends ApiProblem {

	TooManyListEnrolls() {
		super(HttpStatus.SERVICE_UNAVAILABLE, "Too many enrollments by list are running; retry later");
	}

}
