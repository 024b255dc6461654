package io.journeys.validation;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON objects callers send and we keep as {@code jsonb} (an event's {@code properties},
 * a contact's {@code attributes}): at most 16 KiB as compact JSON, the form they are
 * stored in, and no null character, which {@code jsonb} cannot hold.
 */
public final class JsonObjects {

	/** In bytes of UTF-8. */
	public static final int MAX_SIZE = 16 * 1024;

	public static final String TOO_LARGE = "is too large (maximum is 16 KiB as JSON)";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JsonObjects() {
	}

	/** Its compact JSON; an error on {@code field} when it breaks a rule above. */
	public static String check(JsonNode object, String field, ValidationErrors errors) {
		String text = compact(object);
		if (!fits(text)) {
			errors.add(field, TOO_LARGE);
		}
		else if (holdsNullCharacter(object)) {
			errors.add(field, "must not contain null characters");
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

	private static boolean holdsNullCharacter(JsonNode node) {
		if (node.isString()) {
			return node.stringValue().indexOf('\u0000') >= 0;
		}
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				if (entry.getKey().indexOf('\u0000') >= 0 || holdsNullCharacter(entry.getValue())) {
					return true;
				}
			}
			return false;
		}
		if (node.isArray()) {
			for (JsonNode item : node) {
				if (holdsNullCharacter(item)) {
					return true;
				}
			}
		}
		return false;
	}

}
