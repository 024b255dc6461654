package io.journeys.web;

import org.springframework.http.HttpStatus;

/**
 * A failure the contract names: a status and the value of the {@code error} key of the
 * body. Every such failure extends this class, so one handler turns all of them into
 * responses.
 */
public abstract class ApiProblem extends RuntimeException {

	private final HttpStatus status;

	protected ApiProblem(HttpStatus status, String message) {
		super(message, null, false, false);
		this.status = status;
	}

	public HttpStatus status() {
		return this.status;
	}

	/**
	 * The value of the {@code error} key: a message, or field names mapped to messages.
	 */
	public Object error() {
		return getMessage();
	}

}
