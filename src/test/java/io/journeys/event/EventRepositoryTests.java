package io.journeys.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.event.EffectRepository.Hit;
import io.journeys.event.EffectRepository.Pending;
import io.journeys.event.EventRepository.Row;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.SqlTimes;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements of events: storing a batch (with the statements for one server and the
 * routed ones), and what applying them writes. The other company of each test has a
 * contact, journey and event key equal to this one's, which no statement may touch.
 */
@RepositoryTest
class EventRepositoryTests {

	static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123456Z");

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@Import({ EventRepository.class, EffectRepository.class, PendingEvents.class, DatabaseEngine.class })
	static class Repository {

	}

	@Nested
	class OneServer extends Storing {

	}

	@Nested
	@TestPropertySource(properties = "journeys.database.routed-statements=true")
	class Routed extends Storing {

	}

	abstract static class Storing {

		@Autowired
		EventRepository events;

		@Autowired
		JdbcClient jdbc;

		@Test
		void aKeyIsStoredOncePerCompanyInABatchOrAcrossBatches() {
			Rows rows = new Rows(this.jdbc);
			UUID company = rows.company();
			UUID other = rows.company();
			UUID contact = rows.contact(company, "a@x.com");
			UUID theirs = rows.contact(other, "a@x.com");
			assertThat(this.events.lockContacts(company, List.of("a@x.com", "b@x.com")))
				.containsExactly(new EventRepository.Contact(contact, "a@x.com"));
			assertThat(this.events.insert(other, List.of(row("k1", theirs)), NOW)).isEqualTo(1);
			assertThat(this.events.insert(company, List.of(row("k1", contact), row("k1", contact), row("k2", contact)),
					NOW))
				.as("the second k1 of the batch is a duplicate")
				.isEqualTo(2);
			assertThat(this.events.insert(company, List.of(row("k2", contact), row("k3", contact)), NOW)).isEqualTo(1);
			assertThat(this.jdbc.sql("select count(*) from event_queue where company_id = :company")
				.param("company", company)
				.query(Long.class)
				.single()).as("each stored event queued once, no duplicate").isEqualTo(3);
			assertThat(this.jdbc.sql("select count(*) from events where company_id = :company")
				.param("company", company)
				.query(Long.class)
				.single()).isEqualTo(3);
		}

		private static Row row(String key, UUID contact) {
			return new Row(UUID.randomUUID(), key, contact, "signed_up", "{\"plan\":\"pro\"}", NOW.minusSeconds(5),
					true);
		}

	}

	@Nested
	class Effects {

		@Autowired
		EffectRepository effects;

		@Autowired
		PendingEvents pending;

		@Autowired
		JdbcClient jdbc;

		Rows rows;

		UUID company;

		UUID other;

		UUID journey;

		UUID contact;

		@BeforeEach
		void setUp() {
			this.rows = new Rows(this.jdbc);
			this.company = this.rows.company();
			this.other = this.rows.company();
			this.journey = this.rows.journey(this.company, "on", null);
			this.rows.journey(this.other, this.journey, "on", null);
			this.contact = this.rows.contact(this.company, "a@x.com");
			this.rows.contact(this.other, this.contact, "a@x.com");
		}

		/** An event, queued for its effects unless {@code applied}. */
		private void event(UUID company, String key, Instant occurred, Instant received, boolean applied) {
			UUID id = UUID.randomUUID();
			this.jdbc.sql("""
					insert into events (company_id, id, key, contact_id, name, properties, occurred_at, received_at)
					values (:company, :id, :key, :contact, 'e', '{}', :occurred, :received)
					""")
				.param("company", company)
				.param("id", id)
				.param("key", key)
				.param("contact", this.contact)
				.param("occurred", SqlTimes.bind(occurred))
				.param("received", SqlTimes.bind(received))
				.update();
			if (!applied) {
				this.jdbc.sql("""
						insert into event_queue (company_id, contact_id, occurred_at, event_id)
						values (:company, :contact, :occurred, :id)
						""")
					.param("company", company)
					.param("contact", this.contact)
					.param("occurred", SqlTimes.bind(occurred))
					.param("id", id)
					.update();
			}
		}

		@Test
		void eachRoundTakesEveryContactsEarliestPendingEvent() {
			event(this.company, "late", NOW, NOW, false);
			event(this.company, "early", NOW.minusSeconds(60), NOW, false);
			event(this.company, "done", NOW.minusSeconds(120), NOW, true);
			event(this.other, "theirs", NOW.minusSeconds(600), NOW, false);
			List<Pending> round = this.effects.nextPerContact(this.company, 100);
			assertThat(round).extracting(Pending::key).containsExactly("early");
			this.effects.markApplied(this.company, round);
			assertThat(this.effects.nextPerContact(this.company, 100)).extracting(Pending::key).containsExactly("late");
			assertThat(this.pending.companies()).contains(this.company, this.other);
		}

		@Test
		void aGoalEndsOnlyEnrollmentsFromBeforeItsEvent() {
			UUID enrolled = this.rows.enrollment(this.company, this.journey, this.contact, null, null);
			UUID theirs = this.rows.enrollment(this.other, enrolled, this.journey, this.contact, null, null);
			Instant enrolledAt = this.jdbc.sql("select enrolled_at from enrollments where company_id = :c and id = :id")
				.param("c", this.company)
				.param("id", enrolled)
				.query((rs, row) -> SqlTimes.read(rs, "enrolled_at"))
				.single();
			Hit before = new Hit(this.journey, null, this.contact, enrolledAt.minusMillis(1), "{}");
			assertThat(this.effects.reachGoals(this.company, List.of(before), NOW)).isEmpty();
			Hit after = new Hit(this.journey, null, this.contact, enrolledAt, "{\"id\":\"g\"}");
			List<EffectRepository.Moved> reached = this.effects.reachGoals(this.company, List.of(after), NOW);
			assertThat(reached).containsExactly(new EffectRepository.Moved(enrolled, "{\"id\":\"g\"}"));
			this.effects.log(this.company, "goal", reached, NOW);
			assertThat(this.jdbc.sql("select exit_reason from enrollments where company_id = :c and id = :id")
				.param("c", this.company)
				.param("id", enrolled)
				.query(String.class)
				.single()).isEqualTo("goal_reached");
			assertThat(this.jdbc.sql("select status from enrollments where company_id = :c and id = :id")
				.param("c", this.other)
				.param("id", theirs)
				.query(String.class)
				.single()).isEqualTo("active");
			assertThat(this.jdbc.sql("select event from enrollment_events where company_id = :c and kind = 'goal'")
				.param("c", this.company)
				.query(String.class)
				.list()).containsExactly("{\"id\":\"g\"}");
		}

		@Test
		void aTriggerEnrollsOnlyUnderTheEnrollRules() {
			UUID off = this.rows.journey(this.company, "off", null);
			UUID inactive = this.rows.contact(this.company, "i@x.com");
			this.jdbc.sql("update contacts set status = 'inactive' where company_id = :c and id = :id")
				.param("c", this.company)
				.param("id", inactive)
				.update();
			UUID recent = this.rows.contact(this.company, "r@x.com");
			UUID done = this.rows.enrollment(this.company, this.journey, recent, null, null);
			this.jdbc.sql(
					"update enrollments set status = 'completed', completed_at = :at where company_id = :c and id = :id")
				.param("at", SqlTimes.bind(NOW.minus(Duration.ofHours(1))))
				.param("c", this.company)
				.param("id", done)
				.update();
			List<Hit> hits = List.of(new Hit(this.journey, null, this.contact, NOW, "{\"id\":\"t\"}"),
					new Hit(off, null, this.contact, NOW, "{}"), new Hit(this.journey, null, inactive, NOW, "{}"),
					new Hit(this.journey, null, recent, NOW, "{}"));
			assertThat(this.effects.listeners(this.company, List.of("e")))
				.as("no journey listens to e: the rows made here name nothing")
				.isEmpty();
			assertThat(this.effects.trigger(this.company, hits, NOW, NOW.minus(Duration.ofHours(12)))).hasSize(1);
			assertThat(this.effects.trigger(this.company, hits, NOW, NOW.minus(Duration.ofHours(12))))
				.as("already active")
				.isEmpty();
			assertThat(this.jdbc.sql("select count(*) from enrollments where company_id = :c and source = 'trigger'")
				.param("c", this.other)
				.query(Long.class)
				.single()).isZero();
		}

		@Test
		void aWaitEndsOnlyForAnEventFromWhileItWaited() {
			UUID waiting = this.rows.enrollment(this.company, this.journey, this.contact, "hold",
					NOW.plusSeconds(3600));
			this.jdbc.sql("update enrollments set step_started_at = :at where company_id = :c and id = :id")
				.param("at", SqlTimes.bind(NOW))
				.param("c", this.company)
				.param("id", waiting)
				.update();
			assertThat(this.effects.endWaits(this.company,
					List.of(new Hit(this.journey, "hold", this.contact, NOW.minusMillis(1), "{}")), NOW))
				.isEmpty();
			assertThat(this.effects.endWaits(this.company,
					List.of(new Hit(this.journey, "other", this.contact, NOW, "{}")), NOW))
				.isEmpty();
			assertThat(this.effects.endWaits(this.company,
					List.of(new Hit(this.journey, "hold", this.contact, NOW, "{\"id\":\"w\"}")), NOW))
				.hasSize(1);
			assertThat(this.jdbc.sql("select waited_event from enrollments where company_id = :c and id = :id")
				.param("c", this.company)
				.param("id", waiting)
				.query(String.class)
				.single()).isEqualTo("{\"id\":\"w\"}");
		}

		@Test
		void thePurgeTakesOnlyAppliedEventsPastTheRetention() {
			event(this.company, "old", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(31)), true);
			event(this.company, "old-pending", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(31)), false);
			event(this.company, "recent", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(29)), true);
			this.pending.purge(NOW.minus(Duration.ofDays(30)));
			assertThat(this.jdbc.sql("select key from events where company_id = :c order by key")
				.param("c", this.company)
				.query(String.class)
				.list()).containsExactly("old-pending", "recent");
		}

	}

}
