package io.journeys.runner;

import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.journey.Step;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of a pass over one journey, each statement naming one company, so that on Citus
 * each runs on the company's shard. The search for journeys with due work, across
 * companies, is {@link DueWork}'s; the statements of a webhook batch are
 * {@link ClaimedEnrollments}'.
 */
@Repository
class RunnerRepository {

	private final JdbcClient jdbc;

	RunnerRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record DueJourney(UUID companyId, UUID journeyId) {
	}

	/** A journey as a pass reads it, its row held against state and step changes. */
	record JourneyRow(String name, String state, @Nullable String steps, @Nullable String webhookSecret,
			@Nullable String previousWebhookSecret, @Nullable Instant previousSecretUntil) {

		/** The steps a pass runs; none when the journey is not on, or has no steps. */
		Optional<List<Step>> runningSteps() {
			return "on".equals(this.state) ? Optional.ofNullable(Step.listOf(this.steps)) : Optional.empty();
		}

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
	 * now, a step edit ({@link StepChangeListener}) all those at a removed step
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

}
