package io.journeys.runner;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Claimed rows are taken by location and id, which the claim's lock keeps valid, so stale
 * statistics cannot make a scan (bench/results/2026-11-29-runner-ctid.md). The company
 * condition routes them on Citus but misled the planner on one server: two sets. The
 * status is asked as {@code (e.status = 'active') is true}, which no partial index's
 * predicate matches: statistics taken while no enrollment was active made the generic
 * plan scan {@code enrollments_one_active} for every batch (1 s a statement at 100,000
 * active).
 */
@Repository
class ClaimedEnrollments {

	/** {@code attributes}: the contact's JSON object. */
	record Claimed(UUID id, String location, UUID contactId, String emailAddress, @Nullable String firstName,
			@Nullable String lastName, String attributes, @Nullable String timeZone, Instant enrolledAt, int attempts,
			@Nullable String triggerEvent) {
	}

	record Failure(Claimed enrollment, @Nullable Integer status, String error, Instant nextDue) {
	}

	private static final String CLAIM = """
			select e.id, cast(e.ctid as text) as location, e.contact_id, e.enrolled_at, e.attempts, e.trigger_event,
			       c.email_address, c.first_name, c.last_name, c.attributes, c.time_zone
			from enrollments e
			join contacts c on c.company_id = e.company_id and c.id = e.contact_id
			where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
			  and e.step_id = :step and e.due_at <= :now
			order by e.due_at
			limit :limit
			for update of e skip locked
			""";

	private record Statements(String logCalls, String advance, String complete, String recordFailures) {

		static final Statements ON_ONE_SERVER = new Statements("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind, status, error)
				select e.company_id, e.id, :now, :step, 'called', c.status, c.error
				from enrollments e
				join unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]),
				            cast(:errors as text[])) as c(location, id, status, error)
				     on e.ctid = c.location and e.id = c.id
				""", """
				update enrollments e set step_id = :to, step_started_at = :now, due_at = :due, attempts = 0,
				       last_attempt_at = null, last_status = null, last_error = null
				from unnest(cast(:locations as tid[]), cast(:ids as uuid[])) as c(location, id)
				where e.ctid = c.location and e.id = c.id and (e.status = 'active') is true and e.step_id = :from
				""", """
				update enrollments e set status = 'completed', completed_at = :now, due_at = null,
				       attempts = e.attempts + 1, last_attempt_at = :now, last_status = c.status, last_error = null
				from unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]))
				     as c(location, id, status)
				where e.ctid = c.location and e.id = c.id and (e.status = 'active') is true and e.step_id = :from
				""",
				"""
						update enrollments e
						set attempts = e.attempts + 1, last_attempt_at = :now, last_status = f.status, last_error = f.error,
						    status = case when e.attempts + 1 >= :max then 'exited' else 'active' end,
						    exited_at = case when e.attempts + 1 >= :max then cast(:now as timestamptz) end,
						    exit_reason = case when e.attempts + 1 >= :max then 'action_failed' end,
						    due_at = case when e.attempts + 1 >= :max then null else f.due end
						from unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]),
						            cast(:errors as text[]), cast(:dues as timestamptz[])) as f(location, id, status, error, due)
						where e.ctid = f.location and e.id = f.id and (e.status = 'active') is true and e.step_id = :step
						returning e.id, e.status
						""");

		static final Statements ON_SHARDS = new Statements("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind, status, error)
				select e.company_id, e.id, :now, :step, 'called', c.status, c.error
				from enrollments e
				join unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]),
				            cast(:errors as text[])) as c(location, id, status, error)
				     on e.ctid = c.location and e.id = c.id
				where e.company_id = :company
				""", """
				update enrollments e set step_id = :to, step_started_at = :now, due_at = :due, attempts = 0,
				       last_attempt_at = null, last_status = null, last_error = null
				from unnest(cast(:locations as tid[]), cast(:ids as uuid[])) as c(location, id)
				where e.ctid = c.location and e.id = c.id and (e.status = 'active') is true and e.step_id = :from
				  and e.company_id = :company
				""", """
				update enrollments e set status = 'completed', completed_at = :now, due_at = null,
				       attempts = e.attempts + 1, last_attempt_at = :now, last_status = c.status, last_error = null
				from unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]))
				     as c(location, id, status)
				where e.ctid = c.location and e.id = c.id and (e.status = 'active') is true and e.step_id = :from
				  and e.company_id = :company
				""",
				"""
						update enrollments e
						set attempts = e.attempts + 1, last_attempt_at = :now, last_status = f.status, last_error = f.error,
						    status = case when e.attempts + 1 >= :max then 'exited' else 'active' end,
						    exited_at = case when e.attempts + 1 >= :max then cast(:now as timestamptz) end,
						    exit_reason = case when e.attempts + 1 >= :max then 'action_failed' end,
						    due_at = case when e.attempts + 1 >= :max then null else f.due end
						from unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]),
						            cast(:errors as text[]), cast(:dues as timestamptz[])) as f(location, id, status, error, due)
						where e.ctid = f.location and e.id = f.id and (e.status = 'active') is true and e.step_id = :step
						  and e.company_id = :company
						returning e.id, e.status
						""");

	}

	private final JdbcClient jdbc;

	private final Statements statements;

	ClaimedEnrollments(JdbcClient jdbc, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.statements = engine.routedStatements() ? Statements.ON_SHARDS : Statements.ON_ONE_SERVER;
	}

	List<Claimed> claim(UUID companyId, UUID journeyId, String step, Instant now, int limit) {
		return this.jdbc.sql(CLAIM)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("step", step)
			.param("now", SqlTimes.bind(now))
			.param("limit", limit)
			.query((rs, row) -> new Claimed(rs.getObject("id", UUID.class), rs.getString("location"),
					rs.getObject("contact_id", UUID.class), rs.getString("email_address"), rs.getString("first_name"),
					rs.getString("last_name"), rs.getString("attributes"), rs.getString("time_zone"),
					SqlTimes.read(rs, "enrolled_at"), rs.getInt("attempts"), rs.getString("trigger_event")))
			.list();
	}

	int advanceClaimed(UUID companyId, List<Claimed> rows, String from, String to, Instant due, Instant now) {
		return this.jdbc.sql(this.statements.advance())
			.param("company", companyId)
			.param("locations", locations(rows))
			.param("ids", ids(rows))
			.param("from", from)
			.param("to", to)
			.param("due", SqlTimes.bind(due))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/** The step stays theirs: the call counts in {@code attempts} as in the timeline. */
	int completeClaimed(UUID companyId, List<Claimed> rows, List<@Nullable Integer> statuses, String from,
			Instant now) {
		return this.jdbc.sql(this.statements.complete())
			.param("company", companyId)
			.param("locations", locations(rows))
			.param("ids", ids(rows))
			.param("statuses", statuses.toArray(Integer[]::new))
			.param("from", from)
			.param("now", SqlTimes.bind(now))
			.update();
	}

	private static String[] locations(List<Claimed> rows) {
		return rows.stream().map(Claimed::location).toArray(String[]::new);
	}

	private static UUID[] ids(List<Claimed> rows) {
		return rows.stream().map(Claimed::id).toArray(UUID[]::new);
	}

	/** The ids of those that exited, their last attempt spent. */
	List<UUID> recordFailures(UUID companyId, List<Failure> failures, String step, int maxAttempts, Instant now) {
		List<Claimed> rows = failures.stream().map(Failure::enrollment).toList();
		return this.jdbc.sql(this.statements.recordFailures())
			.param("company", companyId)
			.param("locations", locations(rows))
			.param("ids", ids(rows))
			.param("statuses", failures.stream().map(Failure::status).toArray(Integer[]::new))
			.param("errors", failures.stream().map(Failure::error).toArray(String[]::new))
			.param("dues", failures.stream().map(failure -> failure.nextDue().toString()).toArray(String[]::new))
			.param("step", step)
			.param("max", maxAttempts)
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> "exited".equals(rs.getString("status")) ? rs.getObject("id", UUID.class) : null)
			.list()
			.stream()
			.filter(java.util.Objects::nonNull)
			.toList();
	}

	/** Reads the claimed rows, so that on Citus the insert stays on the shard. */
	int logCalls(UUID companyId, String step, List<Claimed> rows, List<@Nullable Integer> statuses,
			List<@Nullable String> errors, Instant now) {
		return this.jdbc.sql(this.statements.logCalls())
			.param("company", companyId)
			.param("step", step)
			.param("locations", locations(rows))
			.param("ids", ids(rows))
			.param("statuses", statuses.toArray(Integer[]::new))
			.param("errors", errors.toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.update();
	}

}
