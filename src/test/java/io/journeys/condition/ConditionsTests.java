package io.journeys.condition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.journeys.condition.Condition.Compare;
import io.journeys.condition.Condition.HadEvent;
import io.journeys.condition.Condition.Operator;
import io.journeys.condition.Condition.Subject;
import io.journeys.condition.Facts.PastEvent;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.ValidationErrors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ConditionsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

	private static final String PROPERTIES = """
			{"plan": "pro", "seats": 5, "price": 1.0, "tags": ["a", "b", 1], "note": "hello world",
			 "address": {"country": "FR", "zip": null}, "renews_at": "2026-04-01T10:00:00+02:00", "flag": true}
			""";

	@Test
	void parseReadsEachKindOfCondition() {
		Condition condition = parse("""
				{"all": [{"property": "address.country", "in": ["FR", "DE"]},
				         {"not": {"event": "purchased", "within": "P7D", "where": {"property": "total", "gt": 10}}}]}
				""", Subject.PROPERTY);
		assertThat(condition).isEqualTo(new Condition.All(List.of(
				new Compare(Subject.PROPERTY, List.of("address", "country"), Operator.IN, json("[\"FR\", \"DE\"]")),
				new Condition.Not(new HadEvent("purchased", Duration.ofDays(7),
						new Compare(Subject.PROPERTY, List.of("total"), Operator.GT, json("10")))))));
	}

	@Test
	void parseReportsEachErrorUnderTheKeyItIsOn() {
		assertThat(errors("""
				{"all": [{"property": "plan", "equals": "pro"}, {"property": "a..b", "equals": 1},
				         {"property": "plan"}, {"property": "plan", "in": [], "colour": "red"},
				         {"event": "", "within": "7 days", "where": {"property": "total", "gt": "soon"}},
				         {"any": {}}, {"not": [1]}, 3, {"all": [], "any": []}]}
				""", Subject.PROPERTY)).isEqualTo(Map.ofEntries(
				Map.entry("trigger.where.all[1].property", List.of("is invalid")),
				Map.entry("trigger.where.all[2]", List
					.of("must have exactly one operator: equals, not_equals, in, exists, gt, gte, lt, lte or contains")),
				Map.entry("trigger.where.all[3].in", List.of("can't be blank")),
				Map.entry("trigger.where.all[3].colour", List.of("is not allowed")),
				Map.entry("trigger.where.all[4].event", List.of("can't be blank")),
				Map.entry("trigger.where.all[4].within",
						List.of("is not an ISO-8601 duration in days, hours, minutes and seconds")),
				Map.entry("trigger.where.all[4].where.gt", List.of("must be a number or an ISO-8601 time")),
				Map.entry("trigger.where.all[5].any", List.of("must be an array")),
				Map.entry("trigger.where.all[6].not", List.of("must be an object")),
				Map.entry("trigger.where.all[7]", List.of("must be an object")), Map.entry("trigger.where.all[8]",
						List.of("must name exactly one of property, event, all, any or not"))));
	}

	@Test
	void attributeIsRefusedOverAnEventAndPropertyOverAContact() {
		assertThat(errors("{\"attribute\": \"plan\", \"equals\": \"pro\"}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.attribute", List.of("is not allowed here; use property")));
		assertThat(errors("{\"property\": \"plan\", \"equals\": \"pro\"}", Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where.property", List.of("is not allowed here; use attribute")));
		assertThat(errors(
				"{\"event\": \"paid\", \"within\": \"P1D\", \"where\": {\"attribute\": \"a\", \"exists\": true}}",
				Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where.where.attribute", List.of("is not allowed here; use property")));
		assertThat(errors("{}", Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where", List.of("must name exactly one of attribute, event, all, any or not")));
	}

	@Test
	void operandsAndLimitsAreChecked() {
		assertThat(errors("{\"property\": \"a\", \"exists\": \"yes\"}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.exists", List.of("must be a boolean")));
		assertThat(errors("{\"property\": \"a\", \"in\": \"x\"}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.in", List.of("must be an array")));
		assertThat(errors("{\"property\": \"a\", \"in\": [" + "1,".repeat(100) + "1]}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.in", List.of("is too long (maximum is 100 values)")));
		assertThat(errors("{\"property\": \"a\", \"equals\": null}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.equals", List.of("can't be blank")));
		assertThat(errors("{\"property\": \"a\", \"lt\": \"2026-03-10\"}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.lt", List.of("must be a number or an ISO-8601 time")));
		assertThat(errors("{\"property\": 1, \"equals\": 1}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.property", List.of("must be a string")));
		assertThat(errors("{\"property\": \"" + "a".repeat(256) + "\", \"equals\": 1}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.property", List.of("is too long (maximum is 255 characters)")));
		assertThat(errors("{\"any\": [" + "{\"property\": \"a\", \"exists\": true},".repeat(20)
				+ "{\"property\": \"a\", \"exists\": true}]}", Subject.PROPERTY))
			.isEqualTo(Map.of("trigger.where.any", List.of("is too long (maximum is 20 conditions)")));
		assertThat(errors("{\"event\": \"paid\", \"within\": \"PT0.5S\"}", Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where.within", List.of("must be at least 1 second")));
		assertThat(errors("{\"event\": \"paid\", \"within\": \"P366D\", \"timeout\": 1}", Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where.within", List.of("must be at most 365 days"), "trigger.where.timeout",
					List.of("is not allowed")));
		assertThat(errors("{\"event\": \"paid\"}", Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where.within", List.of("can't be blank")));
		assertThat(errors("{\"event\": \"paid\", \"within\": 7}", Subject.ATTRIBUTE))
			.isEqualTo(Map.of("trigger.where.within", List.of("must be a string")));
		assertThat(errors("null", Subject.ATTRIBUTE)).isEqualTo(Map.of("trigger.where", List.of("can't be blank")));
		assertThat(parse("{\"event\": \"paid\", \"within\": \"PT1H\", \"where\": null}", Subject.ATTRIBUTE))
			.isEqualTo(new HadEvent("paid", Duration.ofHours(1), null));
	}

	@Test
	void eightLevelsAreAllowedAndNineAreNot() {
		String eight = "{\"not\": ".repeat(7) + "{\"property\": \"plan\", \"exists\": true}" + "}".repeat(7);
		assertThat(parse(eight, Subject.PROPERTY)).isNotNull();
		assertThat(errors("{\"any\": [" + eight + "]}", Subject.PROPERTY)).isEqualTo(Map
			.of("trigger.where.any[0]" + ".not".repeat(7), List.of("is nested too deeply (maximum is 8 levels)")));
		String eventAtEight = "{\"not\": ".repeat(7)
				+ "{\"event\": \"paid\", \"within\": \"P1D\", \"where\": {\"property\": \"a\", \"exists\": true}}"
				+ "}".repeat(7);
		assertThat(errors(eventAtEight, Subject.ATTRIBUTE)).isEqualTo(Map
			.of("trigger.where" + ".not".repeat(7) + ".where", List.of("is nested too deeply (maximum is 8 levels)")));
	}

	@Test
	void readParsesAStoredConditionAndRefusesABrokenOne() {
		assertThat(Conditions.read(json("{\"property\": \"plan\", \"equals\": \"pro\"}"), Subject.PROPERTY))
			.isEqualTo(new Compare(Subject.PROPERTY, List.of("plan"), Operator.EQUALS, json("\"pro\"")));
		assertThatIllegalStateException().isThrownBy(() -> Conditions.read(json("{\"plan\": 1}"), Subject.PROPERTY));
	}

	@Test
	void equalsComparesNumbersByValueAndNeverAcrossTypes() {
		assertThat(matches("{\"property\": \"plan\", \"equals\": \"pro\"}")).isTrue();
		assertThat(matches("{\"property\": \"seats\", \"equals\": 5.0}")).isTrue();
		assertThat(matches("{\"property\": \"price\", \"equals\": 1}")).isTrue();
		assertThat(matches("{\"property\": \"seats\", \"equals\": \"5\"}")).isFalse();
		assertThat(matches("{\"property\": \"flag\", \"equals\": true}")).isTrue();
		assertThat(matches("{\"property\": \"tags\", \"equals\": [\"a\", \"b\", 1.0]}")).isTrue();
		assertThat(matches("{\"property\": \"address\", \"equals\": {\"country\": \"FR\", \"zip\": null}}")).isTrue();
		assertThat(matches("{\"property\": \"address.country\", \"equals\": \"FR\"}")).isTrue();
		assertThat(matches("{\"property\": \"address.country.code\", \"equals\": \"FR\"}")).isFalse();
		assertThat(matches("{\"property\": \"missing\", \"equals\": \"FR\"}")).isFalse();
	}

	@Test
	void notEqualsMatchesOnlyAValueOfTheOperandsType() {
		assertThat(matches("{\"property\": \"plan\", \"not_equals\": \"free\"}")).isTrue();
		assertThat(matches("{\"property\": \"plan\", \"not_equals\": \"pro\"}")).isFalse();
		assertThat(matches("{\"property\": \"seats\", \"not_equals\": 5.00}")).isFalse();
		assertThat(matches("{\"property\": \"seats\", \"not_equals\": \"free\"}")).isFalse();
		assertThat(matches("{\"property\": \"missing\", \"not_equals\": \"free\"}")).isFalse();
		assertThat(matches("{\"property\": \"address.zip\", \"not_equals\": \"75001\"}")).isFalse();
		assertThat(matches("{\"not\": {\"property\": \"missing\", \"equals\": \"free\"}}")).isTrue();
	}

	@Test
	void inAndExists() {
		assertThat(matches("{\"property\": \"plan\", \"in\": [\"free\", \"pro\"]}")).isTrue();
		assertThat(matches("{\"property\": \"seats\", \"in\": [\"5\", 5.0]}")).isTrue();
		assertThat(matches("{\"property\": \"seats\", \"in\": [\"5\", null]}")).isFalse();
		assertThat(matches("{\"property\": \"plan\", \"exists\": true}")).isTrue();
		assertThat(matches("{\"property\": \"plan\", \"exists\": false}")).isFalse();
		assertThat(matches("{\"property\": \"address.zip\", \"exists\": true}")).isFalse();
		assertThat(matches("{\"property\": \"address.zip\", \"exists\": false}")).isTrue();
		assertThat(matches("{\"property\": \"plan.name\", \"exists\": false}")).isTrue();
	}

	@Test
	void orderingComparesNumbersOrTimesAndNothingElse() {
		assertThat(matches("{\"property\": \"seats\", \"gt\": 4.5}")).isTrue();
		assertThat(matches("{\"property\": \"seats\", \"gt\": 5}")).isFalse();
		assertThat(matches("{\"property\": \"seats\", \"gte\": 5.0}")).isTrue();
		assertThat(matches("{\"property\": \"seats\", \"lt\": 5}")).isFalse();
		assertThat(matches("{\"property\": \"seats\", \"lte\": 5}")).isTrue();
		assertThat(matches("{\"property\": \"plan\", \"gt\": 1}")).isFalse();
		assertThat(matches("{\"property\": \"plan\", \"lt\": \"2030-01-01T00:00:00Z\"}")).isFalse();
		assertThat(matches("{\"property\": \"seats\", \"lt\": \"2030-01-01T00:00:00Z\"}")).isFalse();
		// 10:00+02:00 is 08:00Z
		assertThat(matches("{\"property\": \"renews_at\", \"gt\": \"2026-04-01T07:59:59Z\"}")).isTrue();
		assertThat(matches("{\"property\": \"renews_at\", \"gte\": \"2026-04-01T08:00:00Z\"}")).isTrue();
		assertThat(matches("{\"property\": \"renews_at\", \"lte\": \"2026-04-01T04:00:00-04:00\"}")).isTrue();
		assertThat(matches("{\"property\": \"renews_at\", \"lt\": \"2026-04-01T09:00:00+01:00\"}")).isFalse();
		assertThat(matches("{\"property\": \"missing\", \"lt\": 1}")).isFalse();
	}

	@Test
	void containsFindsAStringInAStringOrAnElementInAnArray() {
		assertThat(matches("{\"property\": \"note\", \"contains\": \"lo wo\"}")).isTrue();
		assertThat(matches("{\"property\": \"note\", \"contains\": \"bye\"}")).isFalse();
		assertThat(matches("{\"property\": \"note\", \"contains\": 1}")).isFalse();
		assertThat(matches("{\"property\": \"tags\", \"contains\": \"b\"}")).isTrue();
		assertThat(matches("{\"property\": \"tags\", \"contains\": 1.0}")).isTrue();
		assertThat(matches("{\"property\": \"tags\", \"contains\": \"1\"}")).isFalse();
		assertThat(matches("{\"property\": \"seats\", \"contains\": 5}")).isFalse();
	}

	@Test
	void allAnyAndNot() {
		String yes = "{\"property\": \"plan\", \"equals\": \"pro\"}";
		String no = "{\"property\": \"plan\", \"equals\": \"free\"}";
		assertThat(matches("{\"all\": [" + yes + ", " + yes + "]}")).isTrue();
		assertThat(matches("{\"all\": [" + yes + ", " + no + "]}")).isFalse();
		assertThat(matches("{\"any\": [" + no + ", " + yes + "]}")).isTrue();
		assertThat(matches("{\"any\": [" + no + ", " + no + "]}")).isFalse();
		assertThat(matches("{\"not\": " + no + "}")).isTrue();
		assertThat(matches("{\"not\": " + yes + "}")).isFalse();
	}

	@Test
	void hadEventLooksBackOverTheWindowWithItsWhere() {
		List<PastEvent> history = List.of(
				new PastEvent("purchased", NOW.minus(Duration.ofDays(3)),
						json("{\"total\": 40, \"currency\": \"EUR\"}")),
				new PastEvent("purchased", NOW.minus(Duration.ofDays(10)), json("{\"total\": 900}")),
				new PastEvent("refunded", NOW.minus(Duration.ofDays(1)), json("{}")));
		Facts facts = Facts.of(json(PROPERTIES), NOW, history);
		assertThat(matches("{\"event\": \"purchased\", \"within\": \"P7D\"}", facts)).isTrue();
		assertThat(matches("{\"event\": \"purchased\", \"within\": \"P3D\"}", facts)).isTrue();
		assertThat(matches("{\"event\": \"purchased\", \"within\": \"PT71H\"}", facts)).isFalse();
		assertThat(matches("{\"event\": \"signed_up\", \"within\": \"P365D\"}", facts)).isFalse();
		assertThat(matches(
				"{\"event\": \"purchased\", \"within\": \"P7D\", \"where\": {\"property\": \"total\", \"gt\": 100}}",
				facts))
			.isFalse();
		assertThat(matches(
				"{\"event\": \"purchased\", \"within\": \"P30D\", \"where\": {\"property\": \"total\", \"gt\": 100}}",
				facts))
			.isTrue();
		// the nested window is counted from the purchase 3 days ago: the refund came
		// after it
		assertThat(matches("""
				{"event": "purchased", "within": "P7D",
				 "where": {"all": [{"property": "currency", "equals": "EUR"}, {"event": "refunded", "within": "P30D"}]}}
				""", facts)).isFalse();
		assertThat(matches("{\"event\": \"purchased\", \"within\": \"P7D\"}", Facts.of(json("{}"), NOW, List.of())))
			.isFalse();
	}

	@Test
	void attributesAreEmptyUntilContactsHaveThem() {
		Condition condition = parse("{\"attribute\": \"plan\", \"exists\": false}", Subject.ATTRIBUTE);
		assertThat(condition.matches(Facts.of(json(PROPERTIES), NOW, List.of()))).isTrue();
	}

	private static boolean matches(String condition) {
		return matches(condition, Facts.of(json(PROPERTIES), NOW, List.of()));
	}

	private static boolean matches(String condition, Facts facts) {
		return parse(condition, Subject.PROPERTY).matches(facts);
	}

	private static Condition parse(String json, Subject subject) {
		ValidationErrors errors = new ValidationErrors();
		Condition condition = Conditions.parse(json(json), "trigger.where", subject, errors);
		errors.throwIfAny();
		assertThat(condition).isNotNull();
		return condition;
	}

	private static Map<?, ?> errors(String json, Subject subject) {
		ValidationErrors errors = new ValidationErrors();
		Condition condition = Conditions.parse(json(json), "trigger.where", subject, errors);
		assertThat(condition).isNull();
		try {
			errors.throwIfAny();
		}
		catch (InvalidParameters ex) {
			return (Map<?, ?>) ex.error();
		}
		throw new AssertionError("no error reported");
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

}
