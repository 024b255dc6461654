package io.journeys.contact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.journeys.validation.JsonObjects;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code attributes} as sent, merged at the top level into what a contact has: each key
 * of {@code set} replaces the stored value whole (a nested object too), each of
 * {@code removed} (sent as {@code null}) is taken away, other keys are kept. A new
 * contact gets {@code set}.
 *
 * @param set compact JSON of the keys sent with a value
 * @param removed the keys sent as {@code null}
 */
record AttributeChanges(String set, List<String> removed) {

	static final int MAX_KEY = 255;

	/** {@code null} when nothing was sent; errors on {@code field}. */
	static @Nullable AttributeChanges check(@Nullable ObjectNode sent, String field, ValidationErrors errors) {
		if (sent == null) {
			return null;
		}
		JsonObjects.check(sent, field, errors);
		ObjectNode set = sent.objectNode();
		List<String> removed = new ArrayList<>();
		boolean blank = false;
		boolean tooLong = false;
		for (Map.Entry<String, JsonNode> entry : sent.properties()) {
			String key = entry.getKey();
			blank |= key.isEmpty();
			tooLong |= key.length() > MAX_KEY;
			if (entry.getValue().isNull()) {
				removed.add(key);
			}
			else {
				set.set(key, entry.getValue());
			}
		}
		if (blank) {
			errors.add(field, "can't have an empty key");
		}
		if (tooLong) {
			errors.add(field, "can't have a key longer than " + MAX_KEY + " characters");
		}
		return new AttributeChanges(JsonObjects.compact(set), List.copyOf(removed));
	}

	/** The removed keys as a JSON array, as the bulk statement takes them. */
	String removedJson() {
		ArrayNode array = JsonNodeFactory.instance.arrayNode();
		this.removed.forEach(array::add);
		return JsonObjects.compact(array);
	}

	/** Compact JSON of {@code stored} once changed. */
	String mergeInto(String stored) {
		ObjectNode merged = (ObjectNode) JsonObjects.read(stored);
		ObjectNode set = (ObjectNode) JsonObjects.read(this.set);
		for (Map.Entry<String, JsonNode> entry : set.properties()) {
			merged.set(entry.getKey(), entry.getValue());
		}
		this.removed.forEach(merged::remove);
		return JsonObjects.compact(merged);
	}

}
