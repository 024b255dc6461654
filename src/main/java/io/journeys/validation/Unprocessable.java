package io.journeys.validation;

import io.journeys.web.ApiProblem;

import org.springframework.http.HttpStatus;

/** A well-formed request that the current data refuses: 422 with a message. */
public class Unprocessable extends ApiProblem {

	public Unprocessable(String message) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, message);
	}

}
