package io.journeys.condition;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.journeys.condition.Condition.All;
import io.journeys.condition.Condition.Any;
import io.journeys.condition.Condition.Compare;
import io.journeys.condition.Condition.HadEvent;
import io.journeys.condition.Condition.Not;
import io.journeys.condition.Condition.Operator;
import io.journeys.condition.Condition.Subject;
import io.journeys.persistence.SqlTimes;
import tools.jackson.databind.JsonNode;

/**
 * A {@link Condition} as one SQL boolean expression, so that a statement finds every
 * contact it holds for at once. It is never null and never fails: it matches exactly what
 * {@link Condition#matches} matches (ConditionSqlTests checks both on the same values),
 * with times compared to the microsecond PostgreSQL keeps.
 */
public final class ConditionSql {

	private ConditionSql() {
	}

	/**
	 * Where the expression reads: {@code attributes} (a jsonb expression, the contact's),
	 * the contact's events by {@code companyId} and {@code contactId} (uuid expressions),
	 * evaluated at {@code at} (a timestamptz expression).
	 */
	public record Scope(String attributes, String companyId, String contactId, String at) {
	}

	/** The expression and its parameters, named {@code prefix} and a number. */
	public record Fragment(String sql, Map<String, Object> params) {
	}

	public static Fragment of(Condition condition, Scope scope, String prefix) {
		Builder builder = new Builder(prefix);
		String sql = builder.write(condition, scope.attributes(), null, scope, scope.at(), 0);
		return new Fragment(sql, builder.params);
	}

	private static final class Builder {

		private final String prefix;

		private final Map<String, Object> params = new LinkedHashMap<>();

		private Builder(String prefix) {
			this.prefix = prefix;
		}

		private String bind(Object value) {
			String name = this.prefix + this.params.size();
			this.params.put(name, value);
			return ":" + name;
		}

		/**
		 * {@code properties}: the event's, inside an event's {@code where}; else null.
		 */
		private String write(Condition condition, String attributes, String properties, Scope scope, String at,
				int depth) {
			if (condition instanceof Compare compare) {
				return compare(compare, compare.subject() == Subject.PROPERTY ? properties : attributes);
			}
			if (condition instanceof HadEvent event) {
				String alias = "ev" + depth + "_" + this.params.size();
				// the window's start through UTC timestamps: timestamptz - interval is
				// STABLE,
				// which Citus refuses over columns in an UPDATE
				String sql = "exists (select 1 from events " + alias + " where " + alias + ".company_id = "
						+ scope.companyId() + " and " + alias + ".contact_id = " + scope.contactId() + " and " + alias
						+ ".name = " + bind(event.name()) + " and " + alias + ".occurred_at <= " + at + " and " + alias
						+ ".occurred_at >= timezone('UTC', timezone('UTC', " + at + ") - "
						+ bind(event.within().toMillis()) + " * interval '1 millisecond')";
				if (event.where() != null) {
					sql += " and " + write(event.where(), attributes, "cast(" + alias + ".properties as jsonb)", scope,
							alias + ".occurred_at", depth + 1);
				}
				return sql + ")";
			}
			if (condition instanceof All all) {
				return join(all.conditions(), " and ", attributes, properties, scope, at, depth);
			}
			if (condition instanceof Any any) {
				return join(any.conditions(), " or ", attributes, properties, scope, at, depth);
			}
			Not not = (Not) condition;
			return "not " + write(not.condition(), attributes, properties, scope, at, depth + 1);
		}

		private String join(List<Condition> conditions, String operator, String attributes, String properties,
				Scope scope, String at, int depth) {
			return conditions.stream()
				.map(condition -> write(condition, attributes, properties, scope, at, depth + 1))
				.collect(Collectors.joining(operator, "(", ")"));
		}

		private String compare(Compare compare, String json) {
			StringBuilder value = new StringBuilder("(").append(json);
			for (String segment : compare.path()) {
				value.append(" -> ").append(bind(segment));
			}
			String v = value.append(")").toString();
			String present = "coalesce(jsonb_typeof(" + v + ") <> 'null', false)";
			JsonNode operand = compare.operand();
			if (compare.operator() == Operator.EXISTS) {
				return operand.booleanValue(false) ? present : "not " + present;
			}
			return "(" + present + " and " + operation(compare.operator(), v, operand) + ")";
		}

		private String operation(Operator operator, String v, JsonNode operand) {
			return switch (operator) {
				case EQUALS -> "coalesce(" + v + " = " + json(operand) + ", false)";
				case NOT_EQUALS -> "coalesce(jsonb_typeof(" + v + ") = '" + type(operand) + "' and " + v + " <> "
						+ json(operand) + ", false)";
				case IN ->
					"exists (select 1 from jsonb_array_elements(" + json(operand) + ") entry where entry = " + v + ")";
				case CONTAINS -> "(case jsonb_typeof(" + v + ") when 'string' then "
						+ (operand.isString() ? "strpos(" + v + " #>> '{}', " + bind(operand.stringValue()) + ") > 0"
								: "false")
						+ " when 'array' then exists (select 1 from jsonb_array_elements(" + v
						+ ") entry where entry = " + json(operand) + ") else false end)";
				default -> ordered(operator, v, operand);
			};
		}

		private String ordered(Operator operator, String v, JsonNode operand) {
			String sign = switch (operator) {
				case GT -> ">";
				case GTE -> ">=";
				case LT -> "<";
				default -> "<=";
			};
			BigDecimal number = Compare.number(operand);
			if (number != null) {
				return "(case when jsonb_typeof(" + v + ") = 'number' then cast(" + v + " #>> '{}' as numeric) " + sign
						+ " " + bind(number) + " else false end)";
			}
			Instant time = operand.isString() ? Compare.time(operand.stringValue()) : null;
			if (time == null) {
				return "false";
			}
			return "(case when jsonb_typeof(" + v + ") = 'string' then coalesce(journeys_instant(" + v + " #>> '{}') "
					+ sign + " " + bind(SqlTimes.bind(time)) + ", false) else false end)";
		}

		private String json(JsonNode operand) {
			return "cast(" + bind(operand.toString()) + " as jsonb)";
		}

		private static String type(JsonNode operand) {
			return operand.getNodeType().name().toLowerCase(Locale.ROOT).replace("pojo", "object");
		}

	}

}
