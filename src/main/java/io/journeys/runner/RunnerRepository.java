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

/** Each statement names one company, so that on Citus it runs on the company's shard. */
@Repository
class RunnerRepository {

	private final JdbcClient jdbc;

	RunnerRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record DueJourney(UUID companyId, UUID journeyId) {
	}

	record JourneyRow(String name, String state, @Nullable String steps, @Nullable String webhookSecret,
			@Nullable String previousWebhookSecret, @Nullable Instant previousSecretUntil) {

		Optional<List<Step>> runningSteps() {
			return "on".equals(this.state) ? Optional.ofNullable(Step.listOf(this.steps)) : Optional.empty();
		}

	}

	/** {@code FOR KEY SHARE}: a state or step change waits for the pass. */
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

	/** Tried: passes moving one journey's sets in different orders could deadlock. */
	boolean tryMoveLock(UUID journeyId) {
		return Boolean.TRUE
			.equals(this.jdbc.sql("select pg_try_advisory_xact_lock(hashtextextended('runner:' || :journey, 0))")
				.param("journey", journeyId.toString())
				.query(Boolean.class)
				.single());
	}

	/**
	 * {@code from} null: not started; a step edit passes {@link SqlTimes#LATEST}.
	 * {@code waited}: at a {@code wait_for_event}, whether those whose event came (true)
	 * or those whose wait timed out (false) move; null, all of them.
	 */
	int advance(UUID companyId, UUID journeyId, @Nullable String from, @Nullable Boolean waited, String to, Instant due,
			Instant now, Instant dueBy) {
		return this.jdbc.sql(from == null ? ADVANCE_NOT_STARTED : ADVANCE_FROM_STEP)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("from", from, Types.VARCHAR)
			.param("waited", waited, Types.BOOLEAN)
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
			       last_attempt_at = null, last_status = null, last_error = null, waited_event = null
			where company_id = :company and journey_id = :journey and status = 'active'
			  and due_at <= :dueBy and step_id = :from
			  and (cast(:waited as boolean) is null or (waited_event is not null) = :waited)
			""";

	int complete(UUID companyId, UUID journeyId, @Nullable String from, @Nullable Boolean waited, Instant now,
			Instant dueBy) {
		return this.jdbc.sql(from == null ? COMPLETE_NOT_STARTED : COMPLETE_FROM_STEP)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("from", from, Types.VARCHAR)
			.param("waited", waited, Types.BOOLEAN)
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
			  and (cast(:waited as boolean) is null or (waited_event is not null) = :waited)
			""";

	int start(UUID companyId, UUID journeyId, Instant now) {
		return this.jdbc.sql("""
				update enrollments set due_at = :now
				where company_id = :company and journey_id = :journey and status = 'active' and due_at is null
				""").param("company", companyId).param("journey", journeyId).param("now", SqlTimes.bind(now)).update();
	}

	int exitAll(UUID companyId, UUID journeyId, Instant now) {
		return this.jdbc.sql("""
				update enrollments set status = 'exited', exited_at = :now, exit_reason = 'journey_archived',
				       due_at = null
				where company_id = :company and journey_id = :journey and status = 'active'
				""").param("company", companyId).param("journey", journeyId).param("now", SqlTimes.bind(now)).update();
	}

	/** Before they move on: the waits for an event that timed out, for the timeline. */
	int logTimeouts(UUID companyId, UUID journeyId, String step, Instant now) {
		return this.jdbc.sql("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind)
				select e.company_id, e.id, :now, e.step_id, 'timeout'
				from enrollments e
				where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
				  and e.due_at <= :now and e.step_id = :step and e.waited_event is null
				""")
			.param("company", companyId)
			.param("journey", journeyId)
			.param("step", step)
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/** From the rows just moved, on their shard, by {@code enrollments_due}. */
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
