package io.journeys.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A failure the contract names, rendered by {@code ApiExceptionHandler}. */
public abstract class ApiProblem extends ErrorResponseException {

	/** The property of the problem detail that holds the body's {@code error}. */
	static final String ERROR = "error";

	protected ApiProblem(HttpStatus status, String message) {
		this(status, message, message);
	}

	protected ApiProblem(HttpStatus status, String message, Object error) {
		super(status, ProblemDetail.forStatusAndDetail(status, message), null);
		getBody().setProperty(ERROR, error);
	}

	/** A message, or field names mapped to messages. */
	public Object error() {
		return getBody().getProperties().get(ERROR);
	}

	/** Answers are expected outcomes, not faults: no stack trace to fill. */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}
