package io.journeys.condition;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A condition checked by {@link Conditions#parse}. Evaluation never throws: a value of
 * another type than its operator's, or no value at all, does not match.
 */
public sealed interface Condition {

	boolean matches(Facts facts);

	/** What a {@link Compare} reads: the key naming its path is {@link #key()}. */
	enum Subject {

		PROPERTY, ATTRIBUTE;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	enum Operator {

		EQUALS, NOT_EQUALS, IN, EXISTS, GT, GTE, LT, LTE, CONTAINS;

		public String jsonName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * The value at {@code path} (segments of a dotted path) against {@code operand}.
	 * Numbers are equal when numerically equal ({@code 1} and {@code 1.0}), other values
	 * when of the same JSON type and equal as JSON; JSON null counts as no value.
	 * {@code not_equals} matches only a value of the operand's type that differs from it:
	 * a contact without the value matches neither {@code equals} nor {@code not_equals},
	 * and {@code not} around {@code equals} includes it.
	 */
	record Compare(Subject subject, List<String> path, Operator operator, JsonNode operand) implements Condition {

		/** Numbers by value at any depth, everything else as JSON. */
		private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
			BigDecimal x = number(a);
			BigDecimal y = number(b);
			return (x != null && y != null) ? x.compareTo(y) : a.equals(b) ? 0 : 1;
		};

		@Override
		public boolean matches(Facts facts) {
			JsonNode value = (this.subject == Subject.PROPERTY) ? facts.properties() : facts.attributes();
			for (String segment : this.path) {
				value = value.isObject() ? value.get(segment) : null;
				if (value == null || value.isNull()) {
					return this.operator == Operator.EXISTS && !this.operand.booleanValue(true);
				}
			}
			JsonNode found = value;
			return switch (this.operator) {
				case EXISTS -> this.operand.booleanValue(false);
				case EQUALS -> equal(found, this.operand);
				case NOT_EQUALS -> found.getNodeType() == this.operand.getNodeType() && !equal(found, this.operand);
				case IN -> this.operand.valueStream().anyMatch(entry -> equal(found, entry));
				case CONTAINS -> found.isString()
						? this.operand.isString() && found.stringValue().contains(this.operand.stringValue())
						: found.isArray() && found.valueStream().anyMatch(entry -> equal(entry, this.operand));
				case GT, GTE, LT, LTE -> ordered(found);
			};
		}

		private boolean ordered(JsonNode value) {
			Integer order;
			if (this.operand.isNumber()) {
				BigDecimal x = number(value);
				BigDecimal y = number(this.operand);
				order = (x != null && y != null) ? x.compareTo(y) : null;
			}
			else {
				Instant x = value.isString() ? time(value.stringValue()) : null;
				Instant y = this.operand.isString() ? time(this.operand.stringValue()) : null;
				order = (x != null && y != null) ? x.compareTo(y) : null;
			}
			return order != null && switch (this.operator) {
				case GT -> order > 0;
				case GTE -> order >= 0;
				case LT -> order < 0;
				default -> order <= 0;
			};
		}

		private static boolean equal(JsonNode value, JsonNode operand) {
			return value.getNodeType() == operand.getNodeType() && value.equals(NUMERIC, operand);
		}

		/** A finite number's value, or null. */
		static @Nullable BigDecimal number(JsonNode node) {
			return node.isNumber() ? node.decimalValueOpt().orElse(null) : null;
		}

		/**
		 * An ISO-8601 time with an offset ({@code 2026-01-05T09:00:00+01:00}), read as
		 * PostgreSQL reads it (journeys_instant, V14): the same pattern, years from 1, an
		 * offset of at most 15:59:59, rounded half-even to the microsecond; or null.
		 */
		static @Nullable Instant time(String text) {
			if (!ISO_TIME.matcher(text).matches()) {
				return null;
			}
			try {
				OffsetDateTime time = OffsetDateTime.parse(text);
				if (time.getYear() < 1 || Math.abs(time.getOffset().getTotalSeconds()) > LARGEST_OFFSET) {
					return null;
				}
				Instant instant = time.toInstant();
				long micros = BigDecimal.valueOf(instant.getNano())
					.movePointLeft(3)
					.setScale(0, RoundingMode.HALF_EVEN)
					.longValueExact();
				return instant.truncatedTo(ChronoUnit.SECONDS).plus(micros, ChronoUnit.MICROS);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}

		private static final Pattern ISO_TIME = Pattern
			.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3]):[0-5][0-9]"
					+ "(:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}:[0-5][0-9](:[0-5][0-9])?)");

		private static final int LARGEST_OFFSET = 15 * 3600 + 59 * 60 + 59;

	}

	/** The contact had an event so named, matching {@code where}, within the period. */
	record HadEvent(String name, Duration within, @Nullable Condition where) implements Condition {

		@Override
		public boolean matches(Facts facts) {
			return facts.hadEvent(this.name, facts.at().minus(this.within), facts.at(), this.where);
		}

	}

	record All(List<Condition> conditions) implements Condition {

		@Override
		public boolean matches(Facts facts) {
			return this.conditions.stream().allMatch(condition -> condition.matches(facts));
		}

	}

	record Any(List<Condition> conditions) implements Condition {

		@Override
		public boolean matches(Facts facts) {
			return this.conditions.stream().anyMatch(condition -> condition.matches(facts));
		}

	}

	record Not(Condition condition) implements Condition {

		@Override
		public boolean matches(Facts facts) {
			return !this.condition.matches(facts);
		}

	}

}
