package io.journeys.web;

import org.springframework.http.HttpStatus;

/** A failure the contract names, with its status; one handler answers all of them. */
public abstract class ApiProblem extends RuntimeException {

	private final HttpStatus status;

	protected ApiProblem(HttpStatus status, String message) {
		super(message, null, false, false);
		this.status = status;
	}

	public HttpStatus status() {
		return this.status;
	}

	/** A message, or field names mapped to messages. */
	public Object error() {
		return getMessage();
	}

}
