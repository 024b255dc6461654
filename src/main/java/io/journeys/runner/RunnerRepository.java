package io.journeys.runner;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.condition.ConditionSql.Fragment;
import io.journeys.journey.Shares;
import io.journeys.journey.Step;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Each statement names one company, so that on Citus it runs on the company's shard. */
@Repository
class RunnerRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	/**
	 * On Citus a move logs its rows by id, where one server logs them in its statement.
	 */
	private final boolean routed;

	RunnerRepository(JdbcClient jdbc, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.routed = engine.routedStatements();
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
		if (logs.isEmpty()) {
			// a completion that decides nothing logs nothing: its end is the enrollment's
			// completed_at
			return this.jdbc.sql(update).params(params).update();
		}
		if (this.routed) {
			return logById(update, params, logs);
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
	private int logById(String update, Map<String, Object> params, List<String> logs) {
		List<UUID> ids = this.jdbc.sql(update + " returning e.id").params(params).query(UUID.class).list();
		if (ids.isEmpty()) {
			return 0;
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
		return ids.size();
	}

	/**
	 * At most this many due times are stored by one statement. Each batch's subquery
	 * passes again over the rows the transaction already updated (their old index entries
	 * cannot be dropped before it commits), so small batches cost quadratically: a
	 * million took 209 s in batches of 50,000, against 26 s for one plain UPDATE.
	 */
	static final int SCHEDULE_BATCH = 200_000;

	/** The wait_until enrollments not yet given their due time: zone and entry time. */
	record Unscheduled(String zone, Instant started) {
	}

	/**
	 * Enrollments that entered a {@code wait_until} are due at once, with
	 * {@code due_at = step_started_at}; a pass then gives them their due time. The zone
	 * is the contact's, else {@code journeyZone}; {@code stepZone} not null overrides
	 * both.
	 */
	List<Unscheduled> unscheduled(UUID companyId, UUID journeyId, String step, @Nullable String stepZone,
			String journeyZone, Instant dueBy) {
		String zone = stepZone != null ? "cast(:stepZone as text)" : "coalesce(c.time_zone, :journeyZone)";
		return this.jdbc
			.sql("select " + zone + " as zone, e.step_started_at as started from enrollments e"
					+ (stepZone != null ? ""
							: " join contacts c on c.company_id = e.company_id and c.id = e.contact_id")
					+ UNSCHEDULED + " group by 1, 2")
			.param("company", companyId)
			.param("journey", journeyId)
			.param("step", step)
			.param("stepZone", stepZone, Types.VARCHAR)
			.param("journeyZone", journeyZone)
			.param("dueBy", SqlTimes.bind(dueBy))
			.query((rs, row) -> new Unscheduled(rs.getString("zone"), SqlTimes.read(rs, "started")))
			.list();
	}

	private static final String UNSCHEDULED = " where e.company_id = :company and e.journey_id = :journey"
			+ " and e.status = 'active' and e.due_at <= :dueBy and e.step_id = :step"
			+ " and e.due_at = e.step_started_at";

	/**
	 * Gives the unscheduled enrollments at a {@code wait_until} step the due time of
	 * their zone and entry time, plus their share of {@code spread}: one statement per
	 * entry time (a pass moves a step's enrollments at one instant, so there are few),
	 * each reading its zone's due time from a JSON object of epoch milliseconds by zone
	 * name. A join to a list of zones let the planner pair every row with every zone
	 * first.
	 */
	int schedule(UUID companyId, UUID journeyId, String step, @Nullable String stepZone, String journeyZone,
			Map<Unscheduled, Instant> dues, Duration spread, Instant dueBy) {
		Map<Instant, Map<String, Long>> byEntry = new LinkedHashMap<>();
		dues.forEach((entered, due) -> byEntry.computeIfAbsent(entered.started(), started -> new LinkedHashMap<>())
			.put(entered.zone(), due.toEpochMilli()));
		String zone = stepZone != null ? "cast(:stepZone as text)" : "coalesce(c.time_zone, :journeyZone)";
		String millis = "cast(cast(:dues as jsonb) ->> " + zone + " as bigint)";
		// to_timestamp(double) is IMMUTABLE, where timestamptz + interval is STABLE,
		// which
		// Citus refuses over columns in an UPDATE
		String due = "to_timestamp((" + millis
				+ (spread.isZero() ? ""
						: " + (" + Shares.sqlBits("e.contact_id", Shares.SPREAD_SALT) + " * :spread >> 32)")
				+ ") / 1000.0)";
		String sql = "update enrollments e set due_at = " + due + (stepZone != null ? "" : " from contacts c")
				+ UNSCHEDULED + " and e.step_started_at = :started and " + millis + " is not null"
				+ (stepZone != null ? "" : " and c.company_id = :company and c.id = e.contact_id")
				+ " and e.id in (select b.id from enrollments b where b.company_id = :company"
				+ " and b.journey_id = :journey and b.status = 'active' and b.due_at <= :dueBy and b.step_id = :step"
				+ " and b.due_at = b.step_started_at and b.step_started_at = :started limit :batch)";
		Map<String, Object> params = new HashMap<>();
		params.put("company", companyId);
		params.put("journey", journeyId);
		params.put("step", step);
		params.put("journeyZone", journeyZone);
		params.put("dueBy", SqlTimes.bind(dueBy));
		if (stepZone != null) {
			params.put("stepZone", stepZone);
		}
		if (!spread.isZero()) {
			params.put("spread", spread.toMillis());
			params.put("share_journey", journeyId.toString());
			params.put("share_step", step);
		}
		params.put("batch", SCHEDULE_BATCH);
		int scheduled = 0;
		for (Map.Entry<Instant, Map<String, Long>> entry : byEntry.entrySet()) {
			params.put("started", SqlTimes.bind(entry.getKey()));
			params.put("dues", JSON.writeValueAsString(entry.getValue()));
			// in batches, so that no statement of a step entered by a million nears the
			// statement timeout; a batch with rows of a zone the pass did not read leaves
			// the rest to the next pass
			int batch;
			do {
				batch = this.jdbc.sql(sql).params(params).update();
				scheduled += batch;
			}
			while (batch == SCHEDULE_BATCH);
		}
		return scheduled;
	}

	/**
	 * The contacts' enrollments waiting at a {@code wait_until} in their own zone lose
	 * their due time, so that the next pass computes it again, in the zone they have now,
	 * from the time they entered.
	 */
	int unschedule(UUID companyId, List<String> emailAddresses) {
		return this.jdbc.sql("""
				update enrollments e set due_at = e.step_started_at
				from journeys j
				where e.company_id = :company
				  and e.contact_id in (select c.id from contacts c
				                       where c.company_id = :company and c.email_address = any(cast(:emails as text[])))
				  and e.status = 'active' and e.due_at > e.step_started_at
				  and j.company_id = :company and j.id = e.journey_id
				  and exists (select 1 from jsonb_array_elements(cast(j.steps as jsonb)) s
				              where s ->> 'id' = e.step_id and s ->> 'type' = 'wait_until'
				                and coalesce(s ->> 'timeZone', 'contact') = 'contact')
				""").param("company", companyId).param("emails", emailAddresses.toArray(String[]::new)).update();
	}

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
