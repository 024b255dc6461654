package io.journeys.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;

/**
 * Each field reports the most basic rule it breaks (presence, then length, then format),
 * and nothing inside a field with an error of its own is reported.
 */
public final class ValidationErrors {

	private static final PropertyNamingStrategy SNAKE_CASE = PropertyNamingStrategies.SNAKE_CASE;

	private final Map<String, List<String>> errors = new LinkedHashMap<>();

	static String jsonName(String component) {
		return SNAKE_CASE.nameForField(null, null, component);
	}

	public void add(String field, String message) {
		this.errors.computeIfAbsent(field, key -> new ArrayList<>()).add(message);
	}

	public int size() {
		return this.errors.size();
	}

	public void addViolations(Set<? extends ConstraintViolation<?>> violations) {
		Map<String, ConstraintViolation<?>> first = new HashMap<>();
		for (ConstraintViolation<?> violation : violations) {
			String field = field(violation.getPropertyPath());
			if (!this.errors.containsKey(field)) {
				first.merge(field, violation, (kept, other) -> rank(other) < rank(kept) ? other : kept);
			}
		}
		first.forEach((field, violation) -> add(field, violation.getMessage()));
	}

	public static void check(Set<? extends ConstraintViolation<?>> violations) {
		ValidationErrors errors = new ValidationErrors();
		errors.addViolations(violations);
		errors.throwIfAny();
	}

	public void throwIfAny() {
		if (this.errors.isEmpty()) {
			return;
		}
		Map<String, List<String>> reported = new LinkedHashMap<>(this.errors);
		reported.keySet().removeIf(this::insideAnError);
		throw new InvalidParameters(reported);
	}

	private boolean insideAnError(String field) {
		for (int i = field.length() - 1; i > 0; i--) {
			char c = field.charAt(i);
			if ((c == '[' || c == '.') && this.errors.containsKey(field.substring(0, i))) {
				return true;
			}
		}
		return false;
	}

	/** A rule on the entries of a list is reported on the field itself. */
	private static String field(Path path) {
		StringBuilder field = new StringBuilder();
		for (Path.Node node : path) {
			if (node.getKind() == ElementKind.CONTAINER_ELEMENT || node.getName() == null) {
				continue;
			}
			if (node.getIndex() != null) {
				field.append('[').append(node.getIndex()).append(']');
			}
			field.append(field.isEmpty() ? "" : ".").append(jsonName(node.getName()));
		}
		return field.toString();
	}

	private static int rank(ConstraintViolation<?> violation) {
		Class<?> rule = violation.getConstraintDescriptor().getAnnotation().annotationType();
		int rank = (rule == NotNull.class || rule == NotBlank.class || rule == NotBlankWhenSent.class) ? 0
				: (rule == Size.class) ? 1 : 2;
		Path.Node leaf = null;
		for (Path.Node node : violation.getPropertyPath()) {
			leaf = node;
		}
		boolean onEntry = leaf != null && leaf.getKind() == ElementKind.CONTAINER_ELEMENT;
		return onEntry ? rank + 3 : rank;
	}

}
