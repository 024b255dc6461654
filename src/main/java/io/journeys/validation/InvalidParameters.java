package io.journeys.validation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.journeys.web.ApiProblem;
import org.springframework.http.HttpStatus;

/**
 * Rails-style validation failure: 422 {@code {"error": {"<field>": ["<message>", ...]}}},
 * fields in name order.
 */
public class InvalidParameters extends ApiProblem {

	public InvalidParameters(Map<String, List<String>> errors) {
		super(HttpStatus.UNPROCESSABLE_CONTENT, "invalid parameters " + errors.keySet(), new TreeMap<>(errors));
	}

	public static InvalidParameters of(String field, String message) {
		return new InvalidParameters(Map.of(field, List.of(message)));
	}

}
