package io.journeys.web;

import java.io.IOException;

/** Thrown while reading a request body that passes the size limit; answered with 413. */
public final class BodyTooLarge extends IOException {

	public static final String MESSAGE = "request body is too large";

	BodyTooLarge() {
		super(MESSAGE);
	}

}
