package io.journeys.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects field errors while a request is checked; {@link #throwIfAny()} ends the check.
 */
public final class ValidationErrors {

	private final Map<String, List<String>> errors = new LinkedHashMap<>();

	public void add(String field, String message) {
		this.errors.computeIfAbsent(field, key -> new ArrayList<>()).add(message);
	}

	public void throwIfAny() {
		if (!this.errors.isEmpty()) {
			throw new InvalidParameters(this.errors);
		}
	}

}
