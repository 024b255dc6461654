package io.journeys.validation;

import io.journeys.web.ApiProblem;
import org.springframework.http.HttpStatus;

/** A body that cannot be read as the JSON object the endpoint expects: 400. */
public class MalformedBody extends ApiProblem {

	public MalformedBody(String reason) {
		super(HttpStatus.BAD_REQUEST, reason);
	}

}
