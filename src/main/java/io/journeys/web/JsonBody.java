package io.journeys.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads the fields of a JSON object body with the contract's rules: a missing body is
 * {@code {}}, a top level that is not an object is 400, {@code null} means absent,
 * unknown fields are ignored and a field of the wrong type is recorded as a field error
 * (422) rather than coerced.
 */
public final class JsonBody {

	public static final String NOT_STRING_ARRAY = "must be an array of strings";

	private final JsonNode node;

	private final String prefix;

	private final ValidationErrors errors;

	private JsonBody(JsonNode node, String prefix, ValidationErrors errors) {
		this.node = node;
		this.prefix = prefix;
		this.errors = errors;
	}

	/** The body of a request; {@code null} (no body at all) reads as an empty object. */
	public static JsonBody of(@Nullable JsonNode body) {
		if (body == null) {
			return new JsonBody(JsonNodeFactory.instance.objectNode(), "", new ValidationErrors());
		}
		if (!body.isObject()) {
			throw new MalformedBody("request body must be a JSON object");
		}
		return new JsonBody(body, "", new ValidationErrors());
	}

	/** Ends reading: throws the collected field errors, if any. */
	public void validate() {
		this.errors.throwIfAny();
	}

	public void reject(String field, String message) {
		this.errors.add(this.prefix + field, message);
	}

	public boolean has(String field) {
		JsonNode value = this.node.get(field);
		return value != null && !value.isNull();
	}

	/**
	 * A string field, or empty when absent; a non-string records
	 * {@code must be a string}.
	 */
	public Optional<String> string(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return Optional.empty();
		}
		if (!value.isString()) {
			reject(field, "must be a string");
			return Optional.empty();
		}
		if (value.stringValue().indexOf('\u0000') >= 0) {
			// PostgreSQL text cannot hold it
			reject(field, "must not contain null characters");
			return Optional.empty();
		}
		return Optional.of(value.stringValue());
	}

	/** A required string field that must not be blank. */
	public Optional<String> requiredString(String field, int maxLength) {
		if (!has(field)) {
			reject(field, "can't be blank");
			return Optional.empty();
		}
		Optional<String> value = string(field);
		value.ifPresent(text -> {
			if (text.isBlank()) {
				reject(field, "can't be blank");
			}
			else if (text.length() > maxLength) {
				reject(field, "is too long (maximum is " + maxLength + " characters)");
			}
		});
		return value.filter(text -> !text.isBlank() && text.length() <= maxLength);
	}

	/** An optional string field of bounded length. */
	public Optional<String> optionalString(String field, int maxLength) {
		Optional<String> value = string(field);
		if (value.isPresent() && value.get().length() > maxLength) {
			reject(field, "is too long (maximum is " + maxLength + " characters)");
			return Optional.empty();
		}
		return value;
	}

	/**
	 * An array of strings, as sent (not normalized), or empty when absent. Anything else,
	 * an array holding a non-string included, records {@link #NOT_STRING_ARRAY}.
	 */
	public Optional<List<String>> stringArray(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return Optional.empty();
		}
		if (!value.isArray()) {
			reject(field, NOT_STRING_ARRAY);
			return Optional.empty();
		}
		List<String> items = new ArrayList<>(value.size());
		for (JsonNode item : value) {
			if (!item.isString()) {
				reject(field, NOT_STRING_ARRAY);
				return Optional.empty();
			}
			items.add(item.stringValue());
		}
		return Optional.of(items);
	}

	/**
	 * An array of objects, each read by its own {@link JsonBody} whose errors carry its
	 * index.
	 */
	public Optional<List<JsonBody>> objectArray(String field) {
		JsonNode value = this.node.get(field);
		if (value == null || value.isNull()) {
			return Optional.empty();
		}
		if (!value.isArray()) {
			reject(field, "must be an array of objects");
			return Optional.empty();
		}
		List<JsonBody> items = new ArrayList<>(value.size());
		int index = 0;
		for (JsonNode item : value) {
			if (!item.isObject()) {
				reject(field, "must be an array of objects");
				return Optional.empty();
			}
			items.add(new JsonBody(item, this.prefix + field + "[" + index++ + "].", this.errors));
		}
		return Optional.of(items);
	}

	/** A time with a zone offset (ISO-8601), or empty when absent or invalid. */
	public Optional<Instant> time(String field) {
		return string(field).flatMap(text -> {
			try {
				Instant time = OffsetDateTime.parse(text).toInstant();
				if (!SqlTimes.storable(time)) {
					reject(field, "is out of range");
					return Optional.empty();
				}
				return Optional.of(time);
			}
			catch (DateTimeParseException ex) {
				reject(field, "must be an ISO-8601 time with a zone offset");
				return Optional.empty();
			}
		});
	}

}
