package io.journeys.validation;

import io.journeys.web.ApiProblem;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * Rails-style validation failure: 422 {@code {"error": {"<field>": ["<message>", ...]}}}.
 */
public class InvalidParameters extends ApiProblem {

	private final Map<String, List<String>> errors;

	public InvalidParameters(Map<String, List<String>> errors) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid parameters " + errors.keySet());
		this.errors = Map.copyOf(errors);
	}

	public static InvalidParameters of(String field, String message) {
		return new InvalidParameters(Map.of(field, List.of(message)));
	}

	@Override
	public Object error() {
		return new java.util.TreeMap<>(this.errors);
	}

}
