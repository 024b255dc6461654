package io.journeys.journey;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.journeys.condition.Condition;
import io.journeys.condition.Condition.Subject;
import io.journeys.condition.Conditions;
import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A journey's {@code trigger} or {@code goal}: events named {@code eventName} whose
 * properties match {@code where} (any, when null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventRule(String eventName, @Nullable JsonNode where) {

	static final int MAX_NAME = 255;

	private static final Set<String> FIELDS = Set.of("event_name", "where");

	private static final JsonMapper JSON = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.build();

	public static @Nullable EventRule read(@Nullable String json) {
		return json == null ? null : JSON.readValue(json, EventRule.class);
	}

	String write() {
		return JSON.writeValueAsString(this);
	}

	/** Checked when the journey was saved; null: every event of the name matches. */
	public @Nullable Condition condition() {
		return this.where == null ? null : Conditions.read(this.where, Subject.PROPERTY);
	}

	static @Nullable EventRule check(JsonNode sent, String field, ValidationErrors errors) {
		if (!sent.isObject()) {
			errors.add(field, "must be an object");
			return null;
		}
		sent.propertyNames().forEach(name -> {
			if (!FIELDS.contains(name)) {
				errors.add(field + "." + name, "is not allowed");
			}
		});
		JsonNode name = sent.get("event_name");
		String eventName = null;
		if (name != null && !name.isNull() && !name.isString()) {
			errors.add(field + ".event_name", "must be a string");
		}
		else {
			eventName = checkName(name == null || name.isNull() ? null : name.stringValue(), field + ".event_name",
					errors);
		}
		JsonNode where = sent.get("where");
		if (where != null && where.isNull()) {
			where = null;
		}
		if (where != null) {
			Conditions.parse(where, field + ".where", Subject.PROPERTY, errors);
		}
		return eventName == null ? null : new EventRule(eventName, where);
	}

	static @Nullable String checkName(@Nullable String name, String field, ValidationErrors errors) {
		if (name == null || name.isBlank()) {
			errors.add(field, Messages.BLANK);
			return null;
		}
		if (name.length() > MAX_NAME) {
			errors.add(field, Messages.TOO_LONG.replace("{max}", String.valueOf(MAX_NAME)));
			return null;
		}
		return name;
	}

}
