package io.journeys.validation;

import io.journeys.web.ApiProblem;
import org.springframework.http.HttpStatus;

/** 400 when its text is not valid Unicode, 415 when it is compressed. */
public final class UnreadableBody extends ApiProblem {

	private UnreadableBody(HttpStatus status, String message) {
		super(status, message);
	}

	static UnreadableBody invalidText(String reason) {
		return new UnreadableBody(HttpStatus.BAD_REQUEST, "request body is not valid JSON: " + reason);
	}

	static UnreadableBody contentEncoding(String encoding) {
		return new UnreadableBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
				"Content-Encoding " + encoding + " is not supported; send the body uncompressed");
	}

}
