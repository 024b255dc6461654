package io.journeys.web;

import org.springframework.http.HttpStatus;

/** Also for an object of another company: 404 {@code "<Type> not found"}. */
public class NotFound extends ApiProblem {

	public NotFound(String type) {
		super(HttpStatus.NOT_FOUND, type + " not found");
	}

}
