package io.journeys.runner;

import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.journey.Step;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of a pass over one journey. Every statement names one company, so on Citus each
 * runs on the company's shard; the claim's {@code FOR UPDATE SKIP LOCKED} is refused
 * there across shards and accepted on one. The search for journeys with due work, across
 * companies, is {@link DueWork}'s.
 */
@Repository
class RunnerRepository {

	private final JdbcClient jdbc;

	/**
	 * The condition that keeps a statement on the claimed rows on the company's shard: on
	 * Citus the company routes it; on one server it is left out, because a company whose
	 * rows are newer than the table's statistics is estimated at a row or so, and the
	 * planner then reads every active enrollment of the company through a company index
	 * (50 ms for a batch of 100 among 30,000) instead of taking the claimed rows by their
	 * location.
	 */
	private final String sameShard;

	RunnerRepository(JdbcClient jdbc, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.sameShard = engine.routedStatements() ? "and e.company_id = :company" : "";
	}

	record DueJourney(UUID companyId, UUID journeyId) {
	}

	/** A journey as a pass reads it, its row held against state and step changes. */
	record JourneyRow(String name, String state, @Nullable String steps, @Nullable String webhookSecret,
			@Nullable String previousWebhookSecret, @Nullable Instant previousSecretUntil) {

		/** The steps a pass runs: null when the journey is not on, or has no steps. */
		@Nullable List<Step> runningSteps() {
			return "on".equals(this.state) ? Step.listOf(this.steps) : null;
		}

	}

	/**
	 * An enrollment claimed for a webhook call, with what the call tells about it, and
	 * its row's location ({@code ctid}), which stays the row's while the claim's
	 * transaction holds it: the batch's statements take the claimed rows by it.
	 */
	record Claimed(UUID id, String location, UUID contactId, String emailAddress, @Nullable String firstName,
			@Nullable String lastName, Instant enrolledAt, int attempts) {
	}

	/** A failed call, and when the next one is due. */
	record Failure(Claimed enrollment, @Nullable Integer status, String error, Instant nextDue) {
	}

	/**
	 * Holds the journey row {@code FOR KEY SHARE} for the rest of the transaction: a
	 * state or step change ({@code FOR UPDATE}) waits for the pass, and the next pass
	 * sees it.
	 */
	Optional<JourneyRow> lockJourney(UUID companyId, UUID journeyId) {
		return this.jdbc.sql("""
				select name, state, steps, webhook_secret, previous_webhook_secret, previous_secret_until from journeys
				where company_id = :company and id = :journey for key share
				""")
			.param("company", companyId)
			.param("journey", journeyId)
			.query((rs, row) -> new JourneyRow(rs.getString("name"), rs.getString("state"), rs.getString("steps"),
					rs.getString("webhook_secret"), rs.getString("previous_webhook_secret"),
					SqlTimes.read(rs, "previous_secret_until")))
			.optional();
	}

	/**
	 * Whether this transaction is the only one moving the journey's enrollments: a
	 * transaction-scoped advisory lock, tried and not waited for. Two instances whose
	 * passes reach one journey together would otherwise update the same rows by sets,
	 * perhaps in different orders, and one of them could be chosen as a deadlock's
	 * victim; now the second leaves the moves to the first and goes on to the webhook
	 * claims.
	 */
	boolean tryMoveLock(UUID journeyId) {
		return Boolean.TRUE
			.equals(this.jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended('runner:' || :journey, 0))")
				.param("journey", journeyId.toString())
				.query(Boolean.class)
				.single());
	}

	/**
	 * Moves the enrollments at {@code from} (null: not started) that are due by
	 * {@code dueBy} into step {@code to}, due at {@code due}: the runner moves those due
	 * now, a step edit ({@link StepChanges}) all those at a removed step
	 * ({@link SqlTimes#LATEST}).
	 */
	int advance(UUID companyId, UUID journeyId, @Nullable String from, String to, Instant due, Instant now,
			Instant dueBy) {
		return this.jdbc.sql(from == null ? ADVANCE_NOT_STARTED : ADVANCE_FROM_STEP)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("from", from, Types.VARCHAR)
			.param("dueBy", SqlTimes.bind(dueBy))
			.param("to", to)
			.param("due", SqlTimes.bind(due))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	private static final String ADVANCE_NOT_STARTED = """
			update enrollments set step_id = :to, step_started_at = :now, due_at = :due, attempts = 0,
			       last_attempt_at = null, last_status = null, last_error = null
			where company_id = :company and journey_id = :journey and status = 'active'
			  and due_at <= :dueBy and step_id is null
			""";

	private static final String ADVANCE_FROM_STEP = """
			update enrollments set step_id = :to, step_started_at = :now, due_at = :due, attempts = 0,
			       last_attempt_at = null, last_status = null, last_error = null
			where company_id = :company and journey_id = :journey and status = 'active'
			  and due_at <= :dueBy and step_id = :from
			""";

	/**
	 * Completes the enrollments at {@code from} (null: not started) that are due by
	 * {@code dueBy}: at the last step, or at a removed step no later step survives.
	 */
	int complete(UUID companyId, UUID journeyId, @Nullable String from, Instant now, Instant dueBy) {
		return this.jdbc.sql(from == null ? COMPLETE_NOT_STARTED : COMPLETE_FROM_STEP)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("from", from, Types.VARCHAR)
			.param("dueBy", SqlTimes.bind(dueBy))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	private static final String COMPLETE_NOT_STARTED = """
			update enrollments set status = 'completed', completed_at = :now, due_at = null
			where company_id = :company and journey_id = :journey and status = 'active'
			  and due_at <= :dueBy and step_id is null
			""";

	private static final String COMPLETE_FROM_STEP = """
			update enrollments set status = 'completed', completed_at = :now, due_at = null
			where company_id = :company and journey_id = :journey and status = 'active'
			  and due_at <= :dueBy and step_id = :from
			""";

	/**
	 * Claims up to {@code limit} due enrollments at a webhook step: rows another instance
	 * holds are skipped, and the claim lasts until the transaction ends.
	 */
	List<Claimed> claim(UUID companyId, UUID journeyId, String step, Instant now, int limit) {
		return this.jdbc.sql("""
				select e.id, cast(e.ctid as text) as location, e.contact_id, e.enrolled_at, e.attempts, c.email_address,
				       c.first_name, c.last_name
				from enrollments e
				join contacts c on c.company_id = e.company_id and c.id = e.contact_id
				where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
				  and e.step_id = :step and e.due_at <= :now
				order by e.due_at
				limit :limit
				for update of e skip locked
				""")
			.param("company", companyId)
			.param("journey", journeyId)
			.param("step", step)
			.param("now", SqlTimes.bind(now))
			.param("limit", limit)
			.query((rs, row) -> new Claimed(rs.getObject("id", UUID.class), rs.getString("location"),
					rs.getObject("contact_id", UUID.class), rs.getString("email_address"), rs.getString("first_name"),
					rs.getString("last_name"), SqlTimes.read(rs, "enrolled_at"), rs.getInt("attempts")))
			.list();
	}

	/** Moves claimed enrollments whose call succeeded into step {@code to}. */
	int advanceClaimed(UUID companyId, List<Claimed> rows, String from, String to, Instant due, Instant now) {
		return this.jdbc.sql("""
				update enrollments e set step_id = :to, step_started_at = :now, due_at = :due, attempts = 0,
				       last_attempt_at = null, last_status = null, last_error = null
				from unnest(cast(:locations as tid[]), cast(:ids as uuid[])) as c(location, id)
				where e.ctid = c.location and e.id = c.id and e.status = 'active' and e.step_id = :from %s
				""".formatted(this.sameShard))
			.param("company", companyId)
			.param("locations", locations(rows))
			.param("ids", ids(rows))
			.param("from", from)
			.param("to", to)
			.param("due", SqlTimes.bind(due))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/**
	 * Completes claimed enrollments whose call, at the last step, succeeded with
	 * {@code statuses} (one per row): the step stays theirs, so the call is counted in
	 * its {@code attempts} as the timeline counts it.
	 */
	int completeClaimed(UUID companyId, List<Claimed> rows, List<@Nullable Integer> statuses, String from,
			Instant now) {
		return this.jdbc.sql("""
				update enrollments e set status = 'completed', completed_at = :now, due_at = null,
				       attempts = e.attempts + 1, last_attempt_at = :now, last_status = c.status, last_error = null
				from unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]))
				     as c(location, id, status)
				where e.ctid = c.location and e.id = c.id and e.status = 'active' and e.step_id = :from %s
				""".formatted(this.sameShard))
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

	/**
	 * Records failed calls: the next one is due later, or, when this was the last one the
	 * budget allows, the enrollment exits with {@code action_failed}.
	 */
	int recordFailures(UUID companyId, List<Failure> failures, String step, int maxAttempts, Instant now) {
		List<Claimed> rows = failures.stream().map(Failure::enrollment).toList();
		List<String> statuses = this.jdbc
			.sql("""
					update enrollments e
					set attempts = e.attempts + 1, last_attempt_at = :now, last_status = f.status, last_error = f.error,
					    status = case when e.attempts + 1 >= :max then 'exited' else 'active' end,
					    exited_at = case when e.attempts + 1 >= :max then cast(:now as timestamptz) end,
					    exit_reason = case when e.attempts + 1 >= :max then 'action_failed' end,
					    due_at = case when e.attempts + 1 >= :max then null else f.due end
					from unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]),
					            cast(:errors as text[]), cast(:dues as timestamptz[])) as f(location, id, status, error, due)
					where e.ctid = f.location and e.id = f.id and e.status = 'active' and e.step_id = :step %s
					returning e.status
					"""
				.formatted(this.sameShard))
			.param("company", companyId)
			.param("locations", locations(rows))
			.param("ids", ids(rows))
			.param("statuses", failures.stream().map(Failure::status).toArray(Integer[]::new))
			.param("errors", failures.stream().map(Failure::error).toArray(String[]::new))
			.param("dues", failures.stream().map(failure -> failure.nextDue().toString()).toArray(String[]::new))
			.param("step", step)
			.param("max", maxAttempts)
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> rs.getString("status"))
			.list();
		return (int) statuses.stream().filter("exited"::equals).count();
	}

	/** Journeys that got their first steps: their active enrollments start. */
	int start(UUID companyId, UUID journeyId, Instant now) {
		return this.jdbc.sql("""
				update enrollments set due_at = :now
				where company_id = :company and journey_id = :journey and status = 'active' and due_at is null
				""").param("company", companyId).param("journey", journeyId).param("now", SqlTimes.bind(now)).update();
	}

	/** An archived journey's active enrollments exit. */
	int exitAll(UUID companyId, UUID journeyId, Instant now) {
		return this.jdbc.sql("""
				update enrollments set status = 'exited', exited_at = :now, exit_reason = 'journey_archived',
				       due_at = null
				where company_id = :company and journey_id = :journey and status = 'active'
				""").param("company", companyId).param("journey", journeyId).param("now", SqlTimes.bind(now)).update();
	}

	/**
	 * Records that the active enrollments of the journey at step {@code step} since
	 * {@code now}, due at {@code due}, entered it: a top-level {@code INSERT … SELECT}
	 * from the rows the transaction just moved, so the rows never leave the database (and
	 * on Citus never leave the company's shard). Every move names one due time, which
	 * keeps the read to the moved rows in {@code enrollments_due} rather than all the
	 * journey's due rows (a batch of 100 moved out of 100,000).
	 */
	int logEntered(UUID companyId, UUID journeyId, String step, Instant now, Instant due) {
		return this.jdbc.sql("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind)
				select e.company_id, e.id, :now, e.step_id, 'entered'
				from enrollments e
				where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
				  and e.due_at = :due and e.step_id = :step and e.step_started_at = :now
				""")
			.param("company", companyId)
			.param("journey", journeyId)
			.param("step", step)
			.param("now", SqlTimes.bind(now))
			.param("due", SqlTimes.bind(due))
			.update();
	}

	/**
	 * Records a batch's webhook calls: each one's answer status, or its error (read from
	 * the claimed rows, so that on Citus the insert stays on the company's shard).
	 */
	int logCalls(UUID companyId, String step, List<Claimed> rows, List<@Nullable Integer> statuses,
			List<@Nullable String> errors, Instant now) {
		return this.jdbc.sql("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind, status, error)
				select e.company_id, e.id, :now, :step, 'called', c.status, c.error
				from enrollments e
				join unnest(cast(:locations as tid[]), cast(:ids as uuid[]), cast(:statuses as integer[]),
				            cast(:errors as text[])) as c(location, id, status, error)
				     on e.ctid = c.location and e.id = c.id
				where true %s
				""".formatted(this.sameShard))
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
