package io.journeys.event;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What applying events writes, each statement for one company and routed on Citus: a
 * modifying statement reads the rows it writes from a table of the company's shard, not
 * from {@code unnest} alone.
 */
@Repository
class EffectRepository {

	record Pending(UUID id, String key, UUID contactId, String name, String properties, Instant occurredAt) {
	}

	record Listener(UUID id, String state, @Nullable String trigger, @Nullable String goal, @Nullable String steps) {
	}

	/** An event that reaches a journey (and a step of it, for a wait). */
	record Hit(UUID journeyId, @Nullable String stepId, UUID contactId, Instant occurredAt, String event) {
	}

	private final JdbcClient jdbc;

	EffectRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Tried: one instance at a time applies a company's events, so each contact's go in
	 * order.
	 */
	boolean tryApplyLock(UUID companyId) {
		return Boolean.TRUE
			.equals(this.jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended('events:' || :company, 0))")
				.param("company", companyId.toString())
				.query(Boolean.class)
				.single());
	}

	/**
	 * Each contact's earliest pending event: one round applies at most one per contact.
	 */
	List<Pending> nextPerContact(UUID companyId, int limit) {
		return this.jdbc.sql("""
				select e.id, e.key, e.contact_id, e.name, e.properties, e.occurred_at
				from (select distinct on (q.contact_id) q.contact_id, q.occurred_at, q.event_id
				      from event_queue q
				      where q.company_id = :company
				      order by q.contact_id, q.occurred_at, q.event_id
				      limit :limit) as next
				join events e on e.company_id = :company and e.contact_id = next.contact_id
				                 and e.occurred_at = next.occurred_at and e.id = next.event_id
				""").param("company", companyId).param("limit", limit).query(EffectRepository::pending).list();
	}

	/**
	 * Shared, before a round writes anything, as an enroll takes it: a contact delete
	 * (exclusive, then its enrollments) cannot wait on rows this round holds.
	 */
	void holdContactDeletes(UUID companyId) {
		this.jdbc.sql(EventRepository.HOLD_CONTACT_DELETES).param("company", companyId).query((rs, row) -> 1).list();
	}

	/**
	 * {@code FOR KEY SHARE}, before a round writes anything: a state change, complete or
	 * import (which lock the journey for update, then its enrollments) waits for the
	 * round, and the round applies the rules it read. Archived journeys have no active
	 * enrollment and start none.
	 */
	List<Listener> listeners(UUID companyId, List<String> names) {
		return this.jdbc.sql("""
				select id, state, trigger, goal, steps from journeys
				where company_id = :company and listens_to && cast(:names as text[]) and state <> 'archived'
				order by id
				for key share
				""")
			.param("company", companyId)
			.param("names", names.toArray(String[]::new))
			.query((rs, row) -> new Listener(rs.getObject("id", UUID.class), rs.getString("state"),
					rs.getString("trigger"), rs.getString("goal"), rs.getString("steps")))
			.list();
	}

	/**
	 * Events of a contact by name within a period, for conditions over its past events.
	 */
	List<Pending> history(UUID companyId, UUID contactId, String name, Instant from, Instant to) {
		return this.jdbc.sql("""
				select id, key, contact_id, name, properties, occurred_at from events
				where company_id = :company and contact_id = :contact and occurred_at between :from and :to
				  and name = :name
				""")
			.param("company", companyId)
			.param("contact", contactId)
			.param("name", name)
			.param("from", SqlTimes.bind(from))
			.param("to", SqlTimes.bind(to))
			.query(EffectRepository::pending)
			.list();
	}

	/** An enrollment an event moved or ended, with the event, for its timeline. */
	record Moved(UUID id, String event) {
	}

	/**
	 * Wherever it stands: an enrollment whose webhook call is in flight is locked by its
	 * claim, so this waits for the call's outcome and then exits it.
	 */
	List<Moved> reachGoals(UUID companyId, List<Hit> hits, Instant now) {
		return bindHits(this.jdbc.sql("""
				update enrollments e
				set status = 'exited', exited_at = :now, exit_reason = 'goal_reached', due_at = null
				from unnest(cast(:journeys as uuid[]), cast(:contacts as uuid[]), cast(:occurred as timestamptz[]),
				            cast(:events as text[])) as h(journey_id, contact_id, occurred_at, event)
				where e.company_id = :company and e.journey_id = h.journey_id and e.contact_id = h.contact_id
				  and e.status = 'active' and e.enrolled_at <= h.occurred_at
				returning e.id, h.event
				"""), hits).param("company", companyId)
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> new Moved(rs.getObject("id", UUID.class), rs.getString("event")))
			.list();
	}

	/**
	 * Ends the wait: due now, with the event noted for the runner, which moves it along
	 * {@code next}. Only an event that occurred while it waited: from the step's start to
	 * its timeout (its due time), even when the runner has not moved it on yet.
	 */
	List<Moved> endWaits(UUID companyId, List<Hit> hits, Instant now) {
		return bindHits(this.jdbc.sql("""
				update enrollments e set waited_event = h.event, due_at = :now
				from unnest(cast(:journeys as uuid[]), cast(:steps as text[]), cast(:contacts as uuid[]),
				            cast(:occurred as timestamptz[]), cast(:events as text[]))
				     as h(journey_id, step_id, contact_id, occurred_at, event)
				where e.company_id = :company and e.journey_id = h.journey_id and e.contact_id = h.contact_id
				  and e.status = 'active' and e.step_id = h.step_id and e.waited_event is null
				  and e.step_started_at <= h.occurred_at and h.occurred_at < e.due_at
				returning e.id, h.event
				"""), hits).param("company", companyId)
			.param("steps", hits.stream().map(Hit::stepId).toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> new Moved(rs.getObject("id", UUID.class), rs.getString("event")))
			.list();
	}

	/**
	 * {@code goal} or {@code event} rows for the enrollments just moved, read by their
	 * key: on Citus the insert stays on the shard, and on one server no plan can turn it
	 * into a scan of the journey's ended enrollments (a generic plan of a join on journey
	 * and contact did, bench/results/2026-12-07-events.md).
	 */
	void log(UUID companyId, String kind, List<Moved> moved, Instant now) {
		this.jdbc.sql("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind, event)
				select e.company_id, e.id, :now, coalesce(e.step_id, ''), :kind, m.event
				from unnest(cast(:ids as uuid[]), cast(:events as text[])) as m(id, event)
				join enrollments e on e.company_id = :company and e.id = m.id
				""")
			.param("company", companyId)
			.param("kind", kind)
			.param("ids", moved.stream().map(Moved::id).toArray(UUID[]::new))
			.param("events", moved.stream().map(Moved::event).toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/**
	 * Under the enroll rules: journey on (held {@code FOR KEY SHARE} by the round),
	 * contact active, not active already, not completed since {@code cutoff}. The
	 * enrollment starts when its event occurred, so a goal reached right after counts.
	 * {@code OFFSET 0} keeps the re-entry check a probe per candidate, whatever plan the
	 * prepared statement settles on.
	 */
	List<UUID> trigger(UUID companyId, List<Hit> hits, Instant now, Instant cutoff) {
		return bindHits(
				IdBlock.at(now)
					.bind(this.jdbc
						.sql("""
								insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at, due_at,
								                         trigger_event)
								select c.company_id,
								       cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + h.position) as uuid),
								       j.id, c.id, 'active', 'trigger', h.occurred_at,
								       case when j.steps is not null then cast(:now as timestamptz) end, h.event
								from unnest(cast(:journeys as uuid[]), cast(:contacts as uuid[]), cast(:occurred as timestamptz[]),
								            cast(:events as text[])) with ordinality as h(journey_id, contact_id, occurred_at, event, position)
								join journeys j on j.company_id = :company and j.id = h.journey_id and j.state = 'on'
								join contacts c on c.company_id = j.company_id and c.id = h.contact_id and c.status = 'active'
								where not exists (select 1 from enrollments e
								                  where e.company_id = :company and e.journey_id = h.journey_id
								                    and e.contact_id = h.contact_id and e.status = 'completed' and e.completed_at > :cutoff
								                  offset 0)
								order by j.id, c.id
								on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
								returning id
								""")),
				hits)
			.param("company", companyId)
			.param("now", SqlTimes.bind(now))
			.param("cutoff", SqlTimes.bind(cutoff))
			.query(UUID.class)
			.list();
	}

	/** Out of the queue, in the transaction that applied them. */
	void markApplied(UUID companyId, List<Pending> events) {
		this.jdbc.sql("""
				delete from event_queue q
				using unnest(cast(:contacts as uuid[]), cast(:occurred as timestamptz[]), cast(:events as uuid[]))
				      as d(contact_id, occurred_at, event_id)
				where q.company_id = :company and q.contact_id = d.contact_id and q.occurred_at = d.occurred_at
				  and q.event_id = d.event_id
				""")
			.param("company", companyId)
			.param("contacts", events.stream().map(Pending::contactId).toArray(UUID[]::new))
			.param("occurred", events.stream().map(event -> event.occurredAt().toString()).toArray(String[]::new))
			.param("events", events.stream().map(Pending::id).toArray(UUID[]::new))
			.update();
	}

	private static Pending pending(ResultSet rs, int row) throws SQLException {
		return new Pending(rs.getObject("id", UUID.class), rs.getString("key"), rs.getObject("contact_id", UUID.class),
				rs.getString("name"), rs.getString("properties"), SqlTimes.read(rs, "occurred_at"));
	}

	/**
	 * {@code :journeys}, {@code :contacts}, {@code :occurred} and {@code :events}, row by
	 * row.
	 */
	private static JdbcClient.StatementSpec bindHits(JdbcClient.StatementSpec statement, List<Hit> hits) {
		return statement.param("journeys", hits.stream().map(Hit::journeyId).toArray(UUID[]::new))
			.param("contacts", hits.stream().map(Hit::contactId).toArray(UUID[]::new))
			.param("occurred", hits.stream().map(hit -> hit.occurredAt().toString()).toArray(String[]::new))
			.param("events", hits.stream().map(Hit::event).toArray(String[]::new));
	}

}
