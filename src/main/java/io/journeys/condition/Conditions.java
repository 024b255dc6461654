package io.journeys.condition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.journeys.condition.Condition.All;
import io.journeys.condition.Condition.Any;
import io.journeys.condition.Condition.Compare;
import io.journeys.condition.Condition.HadEvent;
import io.journeys.condition.Condition.Not;
import io.journeys.condition.Condition.Operator;
import io.journeys.condition.Condition.Subject;
import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Conditions read from JSON, every error reported under the path of the key it is on
 * ({@code trigger.where.all[2].equals}). A journey keeps a condition as it was sent and
 * {@linkplain #read reads} it again when it applies it.
 */
public final class Conditions {

	static final int MAX_DEPTH = 8;

	/** Of a path or an event name. */
	static final int MAX_NAME = 255;

	static final int MAX_VALUES = 100;

	static final int MAX_CONDITIONS = 20;

	private static final Set<String> EVENT_KEYS = Set.of("event", "within", "where");

	private Conditions() {
	}

	/**
	 * The condition in {@code node}, or null when it breaks a rule, each error added to
	 * {@code errors}. An absent or null node is blank. {@code subject} says which of
	 * {@code property} and {@code attribute} the comparisons name; an event's
	 * {@code where} always names {@code property}.
	 */
	public static @Nullable Condition parse(@Nullable JsonNode node, String field, Subject subject,
			ValidationErrors errors) {
		return parse(node, field, subject, 1, errors);
	}

	/** A condition that passed {@link #parse} when it was stored. */
	public static Condition read(JsonNode stored, Subject subject) {
		Condition condition = parse(stored, "condition", subject, new ValidationErrors());
		if (condition == null) {
			throw new IllegalStateException("A stored condition no longer passes its checks: " + stored);
		}
		return condition;
	}

	private static @Nullable Condition parse(@Nullable JsonNode node, String field, Subject subject, int depth,
			ValidationErrors errors) {
		if (node == null || node.isNull()) {
			errors.add(field, Messages.BLANK);
			return null;
		}
		if (!node.isObject()) {
			errors.add(field, "must be an object");
			return null;
		}
		if (depth > MAX_DEPTH) {
			errors.add(field, "is nested too deeply (maximum is " + MAX_DEPTH + " levels)");
			return null;
		}
		String other = (subject == Subject.PROPERTY ? Subject.ATTRIBUTE : Subject.PROPERTY).key();
		boolean misplaced = node.has(other);
		if (misplaced) {
			errors.add(field + "." + other, "is not allowed here; use " + subject.key());
		}
		List<String> kinds = Stream.of(subject.key(), "event", "all", "any", "not").filter(node::has).toList();
		if (kinds.size() != 1) {
			if (!misplaced || !kinds.isEmpty()) {
				errors.add(field, "must name exactly one of " + subject.key() + ", event, all, any or not");
			}
			return null;
		}
		String kind = kinds.get(0);
		Condition condition = switch (kind) {
			case "event" -> event(node, field, depth, errors);
			case "all", "any" -> list(node, field, kind, subject, depth, errors);
			case "not" -> Optional.ofNullable(parse(node.get(kind), field + ".not", subject, depth + 1, errors))
				.map(Not::new)
				.orElse(null);
			default -> compare(node, field, subject, errors);
		};
		List<String> unknown = node.propertyNames()
			.stream()
			.filter(key -> !key.equals(other) && !allowed(kind, key))
			.toList();
		unknown.forEach(key -> errors.add(field + "." + key, "is not allowed"));
		return (unknown.isEmpty() && !misplaced) ? condition : null;
	}

	private static boolean allowed(String kind, String key) {
		return switch (kind) {
			case "event" -> EVENT_KEYS.contains(key);
			case "all", "any", "not" -> key.equals(kind);
			default -> key.equals(kind) || Stream.of(Operator.values()).anyMatch(o -> o.jsonName().equals(key));
		};
	}

	private static @Nullable Condition compare(JsonNode node, String field, Subject subject, ValidationErrors errors) {
		String text = string(node.get(subject.key()), field + "." + subject.key(), MAX_NAME, errors);
		List<String> path = (text != null) ? List.of(text.split("\\.", -1)) : null;
		if (path != null && path.contains("")) {
			errors.add(field + "." + subject.key(), Messages.INVALID);
			path = null;
		}
		List<Operator> operators = Stream.of(Operator.values()).filter(o -> node.has(o.jsonName())).toList();
		if (operators.size() != 1) {
			errors.add(field,
					"must have exactly one operator: equals, not_equals, in, exists, gt, gte, lt, lte or contains");
			return null;
		}
		Operator operator = operators.get(0);
		JsonNode operand = node.get(operator.jsonName());
		String error = operandError(operator, operand);
		if (error != null) {
			errors.add(field + "." + operator.jsonName(), error);
		}
		return (path != null && error == null) ? new Compare(subject, path, operator, operand) : null;
	}

	private static @Nullable String operandError(Operator operator, JsonNode operand) {
		switch (operator) {
			case EXISTS:
				return operand.isBoolean() ? null : "must be a boolean";
			case IN:
				if (!operand.isArray()) {
					return "must be an array";
				}
				return operand.isEmpty() ? Messages.BLANK
						: (operand.size() > MAX_VALUES) ? "is too long (maximum is " + MAX_VALUES + " values)" : null;
			case GT, GTE, LT, LTE:
				boolean time = operand.isString() && Compare.time(operand.stringValue()) != null;
				return (Compare.number(operand) != null || time) ? null : "must be a number or an ISO-8601 time";
			default:
				return operand.isNull() ? Messages.BLANK : null;
		}
	}

	private static @Nullable Condition event(JsonNode node, String field, int depth, ValidationErrors errors) {
		String name = string(node.get("event"), field + ".event", MAX_NAME, errors);
		Duration within = within(node.get("within"), field + ".within", errors);
		JsonNode sent = node.get("where");
		boolean filtered = sent != null && !sent.isNull();
		Condition where = filtered ? parse(sent, field + ".where", Subject.PROPERTY, depth + 1, errors) : null;
		return (name != null && within != null && (!filtered || where != null)) ? new HadEvent(name, within, where)
				: null;
	}

	private static @Nullable Condition list(JsonNode node, String field, String kind, Subject subject, int depth,
			ValidationErrors errors) {
		JsonNode sent = node.get(kind);
		String at = field + "." + kind;
		String error = !sent.isArray() ? "must be an array" : sent.isEmpty() ? Messages.BLANK
				: (sent.size() > MAX_CONDITIONS) ? "is too long (maximum is " + MAX_CONDITIONS + " conditions)" : null;
		if (error != null) {
			errors.add(at, error);
			return null;
		}
		List<Condition> conditions = new ArrayList<>();
		for (int i = 0; i < sent.size(); i++) {
			Condition condition = parse(sent.get(i), at + "[" + i + "]", subject, depth + 1, errors);
			if (condition != null) {
				conditions.add(condition);
			}
		}
		if (conditions.size() < sent.size()) {
			return null;
		}
		return kind.equals("all") ? new All(List.copyOf(conditions)) : new Any(List.copyOf(conditions));
	}

	private static @Nullable Duration within(@Nullable JsonNode node, String field, ValidationErrors errors) {
		String text = string(node, field, Integer.MAX_VALUE, errors);
		if (text == null) {
			return null;
		}
		try {
			Duration within = Duration.parse(text.strip());
			if (within.compareTo(Duration.ofSeconds(1)) < 0) {
				errors.add(field, "must be at least 1 second");
			}
			else if (within.compareTo(Duration.ofDays(365)) > 0) {
				errors.add(field, "must be at most 365 days");
			}
			else {
				return within;
			}
		}
		catch (DateTimeParseException ex) {
			errors.add(field, "is not an ISO-8601 duration in days, hours, minutes and seconds");
		}
		return null;
	}

	private static @Nullable String string(@Nullable JsonNode node, String field, int max, ValidationErrors errors) {
		if (node == null || node.isNull() || (node.isString() && node.stringValue().isBlank())) {
			errors.add(field, Messages.BLANK);
		}
		else if (!node.isString()) {
			errors.add(field, "must be a string");
		}
		else if (node.stringValue().length() > max) {
			errors.add(field, Messages.TOO_LONG.replace("{max}", String.valueOf(max)));
		}
		else {
			return node.stringValue();
		}
		return null;
	}

}
