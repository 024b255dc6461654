package io.journeys.validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON objects callers send and we keep as {@code jsonb} (an event's {@code properties},
 * a contact's {@code attributes}): at most 16 KiB as compact JSON, the form they are
 * stored in, and nothing {@code jsonb} cannot hold (a null character, a number past
 * double's range, which Jackson reads as infinite).
 */
public final class JsonObjects {

	/** In bytes of UTF-8. */
	public static final int MAX_SIZE = 16 * 1024;

	public static final String TOO_LARGE = "is too large (maximum is 16 KiB as JSON)";

	private static final String NULL_CHARACTER = "must not contain null characters";

	private static final String OUT_OF_RANGE = "must not hold a number out of range";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonObjects() {
	}

	/** Its compact JSON; an error on {@code field} when it breaks a rule above. */
	public static String check(JsonNode object, String field, ValidationErrors errors) {
		String text = compact(object);
		if (!fits(text)) {
			errors.add(field, TOO_LARGE);
		}
		else {
			String fault = fault(object);
			if (fault != null) {
				errors.add(field, fault);
			}
		}
		return text;
	}

	public static String compact(JsonNode node) {
		return JSON.writeValueAsString(node);
	}

	public static JsonNode read(String json) {
		return JSON.readTree(json);
	}

	public static boolean fits(String compact) {
		// no character takes more than 3 bytes a UTF-16 unit
		return compact.length() * 3 <= MAX_SIZE || compact.getBytes(StandardCharsets.UTF_8).length <= MAX_SIZE;
	}

	/** What {@code jsonb} cannot hold, or {@code null}. */
	private static @Nullable String fault(JsonNode node) {
		if (node.isString()) {
			return node.stringValue().indexOf('\u0000') >= 0 ? NULL_CHARACTER : null;
		}
		if (node.isNumber()) {
			// a number past double's range reads as infinite, and would be written as a
			// string
			return node.isDouble() && !Double.isFinite(node.doubleValue()) ? OUT_OF_RANGE : null;
		}
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			String fault = entry.getKey().indexOf('\u0000') >= 0 ? NULL_CHARACTER : fault(entry.getValue());
			if (fault != null) {
				return fault;
			}
		}
		for (JsonNode item : node.isArray() ? node : List.<JsonNode>of()) {
			String fault = fault(item);
			if (fault != null) {
				return fault;
			}
		}
		return null;
	}

}
