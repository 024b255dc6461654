package io.journeys.condition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.condition.Condition.Subject;
import io.journeys.condition.ConditionSql.Fragment;
import io.journeys.condition.ConditionSql.Scope;
import io.journeys.journey.Shares;
import io.journeys.persistence.SqlTimes;
import io.journeys.support.RepositoryTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A condition in SQL ({@link ConditionSql}, what the runner's branch statements use)
 * holds exactly where it holds in Java ({@link Condition#matches}, what a preview uses):
 * every condition below against every set of attributes, and past events.
 */
@RepositoryTest
class ConditionSqlTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class Repository {

	}

	@Autowired
	JdbcClient jdbc;

	static final List<String> ATTRIBUTES = List.of("{}", "{\"plan\":\"pro\"}", "{\"plan\":\"free\"}", "{\"plan\":null}",
			"{\"plan\":1}", "{\"plan\":[\"pro\"]}", "{\"n\":1}", "{\"n\":1.0}", "{\"n\":\"1\"}", "{\"n\":2.5}",
			"{\"n\":-3}", "{\"n\":true}", "{\"tags\":[\"a\",\"b\",1,null]}", "{\"tags\":\"abc\"}", "{\"tags\":[]}",
			"{\"t\":\"2026-01-05T09:00:00+01:00\"}", "{\"t\":\"2026-02-30T09:00Z\"}", "{\"t\":\"not a time\"}",
			"{\"t\":\"2026-01-05T08:30:00Z\"}", "{\"t\":\"2026-01-05 08:30Z\"}", "{\"t\":\"2026-01-05T24:00Z\"}",
			"{\"t\":\"2026-01-05T09:00:00+01\"}", "{\"t\":\"2026-01-05T09:00:00+17:00\"}",
			"{\"t\":\"+12026-01-05T09:00:00Z\"}", "{\"t\":\"0000-01-05T09:00:00Z\"}",
			"{\"t\":\"2026-01-05T09:00:00.+01:00\"}", "{\"t\":\"2026-01-05T08:00:00.0000004Z\"}",
			"{\"t\":\"2026-01-05T08:00:00.0000006Z\"}", "{\"t\":\"2026-01-05T08:00:00.0000015z\"}", "{\"t\":3}",
			"{\"address\":{\"country\":\"FR\",\"zip\":\"75001\"}}", "{\"address\":\"FR\"}",
			"{\"address\":{\"country\":null}}", "{\"obj\":{\"b\":[1,2.0],\"a\":1}}", "{\"obj\":{\"a\":1}}",
			"{\"flag\":true}", "{\"flag\":false}", "{\"plan\":\"pro\",\"n\":3,\"tags\":[\"vip\"]}");

	static final List<String> CONDITIONS = List.of("{\"attribute\":\"plan\",\"equals\":\"pro\"}",
			"{\"attribute\":\"n\",\"equals\":1}", "{\"attribute\":\"n\",\"equals\":\"1\"}",
			"{\"attribute\":\"plan\",\"not_equals\":\"pro\"}", "{\"attribute\":\"n\",\"not_equals\":1}",
			"{\"attribute\":\"plan\",\"in\":[\"pro\",\"free\"]}", "{\"attribute\":\"n\",\"in\":[1,\"x\",null]}",
			"{\"attribute\":\"plan\",\"exists\":true}", "{\"attribute\":\"plan\",\"exists\":false}",
			"{\"attribute\":\"n\",\"gt\":1}", "{\"attribute\":\"n\",\"gte\":1}", "{\"attribute\":\"n\",\"lt\":2.5}",
			"{\"attribute\":\"n\",\"lte\":-3}", "{\"attribute\":\"t\",\"gt\":\"2026-01-05T08:00:00Z\"}",
			"{\"attribute\":\"t\",\"lte\":\"2026-01-05T08:00:00+00:00\"}",
			"{\"attribute\":\"t\",\"gte\":\"2026-01-05T08:30:00Z\"}", "{\"attribute\":\"tags\",\"contains\":\"b\"}",
			"{\"attribute\":\"tags\",\"contains\":1}", "{\"attribute\":\"tags\",\"contains\":\"ab\"}",
			"{\"attribute\":\"plan\",\"contains\":\"r\"}", "{\"attribute\":\"address.country\",\"equals\":\"FR\"}",
			"{\"attribute\":\"address.country\",\"exists\":true}",
			"{\"attribute\":\"address.country\",\"exists\":false}",
			"{\"attribute\":\"obj\",\"equals\":{\"a\":1.0,\"b\":[1,2]}}", "{\"attribute\":\"flag\",\"equals\":true}",
			"{\"attribute\":\"flag\",\"not_equals\":true}", "{\"not\":{\"attribute\":\"plan\",\"equals\":\"pro\"}}",
			"{\"all\":[{\"attribute\":\"plan\",\"equals\":\"pro\"},{\"attribute\":\"n\",\"gt\":2}]}",
			"{\"any\":[{\"attribute\":\"plan\",\"equals\":\"free\"},{\"attribute\":\"tags\",\"contains\":\"vip\"}]}",
			"{\"not\":{\"any\":[{\"attribute\":\"n\",\"exists\":true},{\"attribute\":\"t\",\"exists\":true}]}}",
			"{\"attribute\":\"tags.x\",\"exists\":false}");

	@Test
	void everyConditionHoldsInSqlWhereItHoldsInJava() {
		int checked = 0;
		int held = 0;
		for (String condition : CONDITIONS) {
			Condition parsed = Conditions.read(JSON.readTree(condition), Subject.ATTRIBUTE);
			for (String attributes : ATTRIBUTES) {
				boolean java = parsed.matches(facts(JSON.readTree(attributes), List.of()));
				boolean sql = inSql(parsed, attributes, UUID.randomUUID(), UUID.randomUUID());
				assertThat(sql).as("%s over %s", condition, attributes).isEqualTo(java);
				checked++;
				held += java ? 1 : 0;
			}
		}
		assertThat(held).as("the matrix holds both ways").isBetween(checked / 10, checked - checked / 10);
	}

	@Test
	void pastEventsAreReadFromTheContactsEventsOnly() {
		UUID company = UUID.randomUUID();
		UUID contact = UUID.randomUUID();
		List<Facts.PastEvent> history = new ArrayList<>();
		history
			.add(event(company, contact, "purchased", NOW.minus(Duration.ofDays(2)), "{\"total\":120,\"sku\":\"a\"}"));
		history.add(event(company, contact, "purchased", NOW.minus(Duration.ofDays(10)), "{\"total\":900}"));
		history.add(event(company, contact, "opened", NOW.minus(Duration.ofHours(1)), "{}"));
		history.add(event(company, contact, "purchased", NOW.plus(Duration.ofHours(1)), "{\"total\":5}"));
		// the same contact id in another company, and another contact of this company
		event(UUID.randomUUID(), contact, "churned", NOW.minusSeconds(60), "{}");
		event(company, UUID.randomUUID(), "churned", NOW.minusSeconds(60), "{}");
		List<String> conditions = List.of("{\"event\":\"purchased\",\"within\":\"P7D\"}",
				"{\"event\":\"purchased\",\"within\":\"P1D\"}", "{\"event\":\"purchased\",\"within\":\"P30D\"}",
				"{\"event\":\"purchased\",\"within\":\"P7D\",\"where\":{\"property\":\"total\",\"gt\":100}}",
				"{\"event\":\"purchased\",\"within\":\"P7D\",\"where\":{\"property\":\"total\",\"gt\":500}}",
				"{\"event\":\"purchased\",\"within\":\"P30D\",\"where\":{\"property\":\"total\",\"gt\":500}}",
				"{\"event\":\"churned\",\"within\":\"P30D\"}",
				"{\"all\":[{\"event\":\"opened\",\"within\":\"PT2H\"},{\"attribute\":\"plan\",\"equals\":\"pro\"}]}",
				"{\"not\":{\"event\":\"opened\",\"within\":\"PT30M\"}}",
				"{\"event\":\"purchased\",\"within\":\"P7D\",\"where\":{\"event\":\"opened\",\"within\":\"P3D\"}}");
		JsonNode attributes = JSON.readTree("{\"plan\":\"pro\"}");
		int held = 0;
		for (String condition : conditions) {
			Condition parsed = Conditions.read(JSON.readTree(condition), Subject.ATTRIBUTE);
			boolean java = parsed.matches(facts(attributes, history));
			assertThat(inSql(parsed, attributes.toString(), company, contact)).as(condition).isEqualTo(java);
			held += java ? 1 : 0;
		}
		assertThat(held).isBetween(3, conditions.size() - 3);
	}

	@Test
	void aContactsShareIsTheSameInSqlAsInJava() {
		UUID journey = UUID.randomUUID();
		for (int i = 0; i < 500; i++) {
			UUID contact = UUID.randomUUID();
			for (String salt : List.of("", "spread")) {
				long sql = this.jdbc.sql("select " + Shares.sqlBits("cast(:contact as uuid)", salt))
					.param("contact", contact.toString())
					.param("share_journey", journey.toString())
					.param("share_step", "step-" + i)
					.query(Long.class)
					.single();
				assertThat(sql).isEqualTo(Shares.bits(contact, journey, "step-" + i, salt));
			}
		}
	}

	boolean inSql(Condition condition, String attributes, UUID company, UUID contact) {
		Fragment fragment = ConditionSql.of(condition,
				new Scope("c.attributes", "cast(:company as uuid)", "cast(:contact as uuid)", ":now"), "p");
		Map<String, Object> params = new HashMap<>(fragment.params());
		params.put("attributes", attributes);
		params.put("company", company.toString());
		params.put("contact", contact.toString());
		params.put("now", SqlTimes.bind(NOW));
		return this.jdbc.sql("select " + fragment.sql() + " from (select cast(:attributes as jsonb) as attributes) c")
			.params(params)
			.query(Boolean.class)
			.single();
	}

	Facts.PastEvent event(UUID company, UUID contact, String name, Instant at, String properties) {
		this.jdbc.sql("""
				insert into events (company_id, id, key, contact_id, name, properties, occurred_at, received_at)
				values (:company, :id, :key, :contact, :name, :properties, :at, :at)
				""")
			.param("company", company)
			.param("id", UUID.randomUUID())
			.param("key", UUID.randomUUID().toString())
			.param("contact", contact)
			.param("name", name)
			.param("properties", properties)
			.param("at", SqlTimes.bind(at))
			.update();
		return new Facts.PastEvent(name, at, JSON.readTree(properties));
	}

	static Facts facts(JsonNode attributes, List<Facts.PastEvent> history) {
		Facts events = Facts.of(JSON.createObjectNode(), NOW, history);
		return new Facts() {

			@Override
			public JsonNode properties() {
				return events.properties();
			}

			@Override
			public JsonNode attributes() {
				return attributes;
			}

			@Override
			public Instant at() {
				return NOW;
			}

			@Override
			public boolean hadEvent(String name, Instant from, Instant to, @Nullable Condition where) {
				return events.hadEvent(name, from, to, where);
			}

		};
	}

}
