package io.journeys.runner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.journeys.condition.ConditionSql.Fragment;
import io.journeys.journey.Shares;
import io.journeys.journey.Step;
import io.journeys.lifecycle.LifecycleEvent;
import io.journeys.lifecycle.LifecycleOutbox;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each statement names one company, so that on Citus it runs on the company's shard. */
@Repository
class RunnerRepository {

	private final JdbcClient jdbc;

	/**
	 * On Citus a move logs its rows by id, where one server logs them in its statement.
	 */
	private final boolean routed;

	private final LifecycleOutbox outbox;

	RunnerRepository(JdbcClient jdbc, DatabaseEngine engine, LifecycleOutbox outbox) {
		this.jdbc = jdbc;
		this.routed = engine.routedStatements();
		this.outbox = outbox;
	}

	record DueJourney(UUID companyId, UUID journeyId) {
	}

	/**
	 * {@code timeZone}: the journey's, for a {@code wait_until} of contacts without one.
	 */
	record JourneyRow(String name, String state, @Nullable String steps, @Nullable String webhookSecret,
			@Nullable String previousWebhookSecret, @Nullable Instant previousSecretUntil, String timeZone) {

		Optional<List<Step>> runningSteps() {
			return "on".equals(this.state) ? Optional.ofNullable(Step.listOf(this.steps)) : Optional.empty();
		}

	}

	/** {@code FOR KEY SHARE}: a state or step change waits for the pass. */
	Optional<JourneyRow> lockJourney(UUID companyId, UUID journeyId) {
		return this.jdbc.sql("""
				select name, state, steps, webhook_secret, previous_webhook_secret, previous_secret_until,
				       coalesce(time_zone, 'UTC') as time_zone
				from journeys
				where company_id = :company and id = :journey for key share
				""")
			.param("company", companyId)
			.param("journey", journeyId)
			.query((rs, row) -> new JourneyRow(rs.getString("name"), rs.getString("state"), rs.getString("steps"),
					rs.getString("webhook_secret"), rs.getString("previous_webhook_secret"),
					SqlTimes.read(rs, "previous_secret_until"), rs.getString("time_zone")))
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
	 * Which of a step's due enrollments a move takes: at a {@code wait_for_event}, those
	 * whose event came ({@code waited} true) or not; at a branch, those a case's
	 * {@code condition} holds for (an SQL expression over the contact {@code c}); at a
	 * split, those whose share falls in a path's {@code buckets}. Every field null: all.
	 */
	record Filter(@Nullable Boolean waited, @Nullable Fragment condition, long @Nullable [] buckets, int total,
			boolean scheduled) {

		static final Filter ALL = new Filter(null, null, null, 0, false);

		/**
		 * At a {@code wait_until}: only those given their due time, not those that
		 * entered since the pass scheduled the step (a delivery or a zone change
		 * committing meanwhile), which wait for the next pass.
		 */
		static final Filter SCHEDULED = new Filter(null, null, null, 0, true);

		static Filter waited(boolean waited) {
			return new Filter(waited, null, null, 0, false);
		}

		/** {@code condition} null: every enrollment still at the step. */
		static Filter when(@Nullable Fragment condition) {
			return new Filter(null, condition, null, 0, false);
		}

		static Filter share(long[] buckets, int total) {
			return new Filter(null, null, buckets, total, false);
		}

	}

	/**
	 * Moves the due enrollments {@code from} a step (null: not started) that the filter
	 * takes to step {@code to} (null: they complete), due at {@code due}, and logs in the
	 * same statement the rows it moved: {@code entered} for {@code to}, and when
	 * {@code way} is given {@code decided} for {@code from}. Answers how many moved.
	 */
	int move(UUID companyId, UUID journeyId, @Nullable String from, Filter filter, @Nullable String to,
			@Nullable String way, Instant due, Instant now, Instant dueBy) {
		Map<String, Object> params = new HashMap<>();
		params.put("company", companyId);
		params.put("journey", journeyId);
		params.put("now", SqlTimes.bind(now));
		params.put("dueBy", SqlTimes.bind(dueBy));
		StringBuilder sql = new StringBuilder("with moved as (update enrollments e set ");
		if (to == null) {
			sql.append("status = 'completed', completed_at = :now, due_at = null, waited_event = null");
		}
		else {
			sql.append("step_id = :to, step_started_at = :now, due_at = :due, attempts = 0, last_attempt_at = null, "
					+ "last_status = null, last_error = null, waited_event = null");
			params.put("to", to);
			params.put("due", SqlTimes.bind(due));
		}
		sql.append(filter.condition() != null ? " from contacts c" : "")
			.append(" where e.company_id = :company and e.journey_id = :journey and e.status = 'active'")
			.append(" and e.due_at <= :dueBy and e.step_id ")
			.append(from == null ? "is null" : "= :from");
		if (from != null) {
			params.put("from", from);
		}
		if (filter.scheduled()) {
			sql.append(" and e.due_at > e.step_started_at");
		}
		if (filter.waited() != null) {
			sql.append(" and (e.waited_event is not null) = :waited");
			params.put("waited", filter.waited());
		}
		if (filter.condition() != null) {
			sql.append(" and c.company_id = :company and c.id = e.contact_id and ").append(filter.condition().sql());
			params.putAll(filter.condition().params());
		}
		if (filter.buckets() != null) {
			String bucket = "(" + Shares.sqlBits("e.contact_id", "") + " * :total >> 32)";
			sql.append(" and ").append(bucket).append(" >= :bucketFrom and ").append(bucket).append(" < :bucketTo");
			params.put("total", (long) filter.total());
			params.put("bucketFrom", filter.buckets()[0]);
			params.put("bucketTo", filter.buckets()[1]);
			params.put("share_journey", journeyId.toString());
			params.put("share_step", from);
		}
		List<String> logs = new ArrayList<>();
		if (way != null) {
			logs.add("(cast(:from as text), 'decided', cast(:way as text), cast(:nextStep as text))");
			params.put("way", way);
			params.put("nextStep", to == null ? Step.END : to);
		}
		if (to != null) {
			logs.add("(cast(:to as text), 'entered', cast(null as text), cast(null as text))");
		}
		String update = sql.substring("with moved as (".length());
		// completions a subscription wants are announced by id, in this transaction
		boolean announce = to == null && this.outbox.wanted(companyId, LifecycleEvent.ENROLLMENT_COMPLETED, journeyId);
		if (logs.isEmpty() && !announce) {
			// a completion that decides nothing logs nothing: its end is the enrollment's
			// completed_at
			return this.jdbc.sql(update).params(params).update();
		}
		if (this.routed || announce) {
			List<UUID> moved = logById(update, params, logs);
			if (announce) {
				this.outbox.ended(companyId, moved, now);
			}
			return moved.size();
		}
		sql.append(" returning e.company_id, e.id) insert into enrollment_events (company_id, enrollment_id, at, ")
			.append("step_id, kind, way, next_step) select m.company_id, m.id, :now, l.step_id, l.kind, l.way, ")
			.append("l.next_step from moved m, (values ")
			.append(String.join(", ", logs))
			.append(") l(step_id, kind, way, next_step)");
		return this.jdbc.sql(sql.toString()).params(params).update() / logs.size();
	}

	/**
	 * On Citus an insert of rows an update returned, in one statement, is collected on
	 * the coordinator: the ids come back, and each log is an insert joined to the
	 * enrollments, routed to their shard.
	 */
	private List<UUID> logById(String update, Map<String, Object> params, List<String> logs) {
		List<UUID> ids = this.jdbc.sql(update + " returning e.id").params(params).query(UUID.class).list();
		if (ids.isEmpty()) {
			return ids;
		}
		Map<String, Object> logParams = new HashMap<>(params);
		logParams.put("ids", ids.toArray(UUID[]::new));
		for (String log : logs) {
			this.jdbc
				.sql("insert into enrollment_events (company_id, enrollment_id, at, step_id, kind, way, next_step)"
						+ " select e.company_id, e.id, :now, l.step_id, l.kind, l.way, l.next_step"
						+ " from unnest(cast(:ids as uuid[])) as m(id)"
						+ " join enrollments e on e.company_id = :company and e.id = m.id," + " (select * from (values "
						+ log + ") v) l(step_id, kind, way, next_step)")
				.params(logParams)
				.update();
		}
		return ids;
	}

	int start(UUID companyId, UUID journeyId, Instant now) {
		return this.jdbc.sql("""
				update enrollments set due_at = :now
				where company_id = :company and journey_id = :journey and status = 'active' and due_at is null
				""").param("company", companyId).param("journey", journeyId).param("now", SqlTimes.bind(now)).update();
	}

	private static final String EXIT_ALL = """
			update enrollments set status = 'exited', exited_at = :now, exit_reason = 'journey_archived',
			       due_at = null
			where company_id = :company and journey_id = :journey and status = 'active'
			""";

	/** Announced by id when a subscription wants exits of the journey. */
	int exitAll(UUID companyId, UUID journeyId, Instant now) {
		if (!this.outbox.wanted(companyId, LifecycleEvent.ENROLLMENT_EXITED, journeyId)) {
			return this.jdbc.sql(EXIT_ALL)
				.param("company", companyId)
				.param("journey", journeyId)
				.param("now", SqlTimes.bind(now))
				.update();
		}
		List<UUID> exited = this.jdbc.sql(EXIT_ALL + "returning id")
			.param("company", companyId)
			.param("journey", journeyId)
			.param("now", SqlTimes.bind(now))
			.query(UUID.class)
			.list();
		this.outbox.ended(companyId, exited, now);
		return exited.size();
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

	/** From the rows just moved, on their shard, by {@code enrollments_due_by_step}. */
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
