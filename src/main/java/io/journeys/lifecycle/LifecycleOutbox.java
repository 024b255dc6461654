package io.journeys.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Writes lifecycle events, in the transaction of the change they tell, one row per event
 * and subscription that wants it; an enroll's {@code enrollment.entered} events are
 * {@link EnteredBlocks} instead. Each statement joins {@code subscriptions}, so a company
 * without one writes nothing. Each names {@code company_id = :company} and joins the
 * changed rows by id, so on Citus it runs on the company's shard. Row ids are a block of
 * time-ordered ids, as enrollments' are. Those that take ids first ask whether the
 * company has a subscription at all, which the planner checks once before it reads a row:
 * the runner sends one with every batch, and most companies subscribe to nothing.
 */
@Component
public class LifecycleOutbox {

	/**
	 * Enrollments inserted by other means than an enroll (an import, a trigger), by id.
	 */
	private static final String ENTERED_BY_ID = """
			insert into lifecycle_deliveries (company_id, id, subscription_id, type, occurred_at, journey_id,
			                                  enrollment_id, contact_id, due_at)
			select e.company_id,
			       cast(cast(:eventPrefix as text)
			            || to_hex(cast(:eventBase as bigint) + row_number() over (partition by e.company_id order by e.id, s.id)) as uuid),
			       s.id, 'enrollment.entered', :now, e.journey_id, e.id, e.contact_id, :now
			from unnest(cast(:ids as uuid[])) as m(id)
			join enrollments e on e.company_id = :company and e.id = m.id and e.status = 'active'
			join subscriptions s on s.company_id = e.company_id and 'enrollment.entered' = any(s.event_types)
			     and (s.journey_ids is null or e.journey_id = any(s.journey_ids))
			where s.company_id = :company and exists (select 1 from subscriptions w where w.company_id = :company)
			""";

	/** Completed or exited, by what the row says now; {@code exit_reason} with it. */
	private static final String ENDED = """
			insert into lifecycle_deliveries (company_id, id, subscription_id, type, occurred_at, journey_id,
			                                  enrollment_id, contact_id, exit_reason, due_at)
			select e.company_id,
			       cast(cast(:eventPrefix as text)
			            || to_hex(cast(:eventBase as bigint) + row_number() over (partition by e.company_id order by e.id, s.id)) as uuid),
			       s.id, case when e.status = 'completed' then 'enrollment.completed' else 'enrollment.exited' end,
			       :now, e.journey_id, e.id, e.contact_id, e.exit_reason, :now
			from unnest(cast(:ids as uuid[])) as m(id)
			join enrollments e on e.company_id = :company and e.id = m.id and e.status <> 'active'
			join subscriptions s on s.company_id = e.company_id
			     and (case when e.status = 'completed' then 'enrollment.completed' else 'enrollment.exited' end)
			         = any(s.event_types)
			     and (s.journey_ids is null or e.journey_id = any(s.journey_ids))
			where s.company_id = :company and exists (select 1 from subscriptions w where w.company_id = :company)
			""";

	private static final String STEP_FAILED = """
			insert into lifecycle_deliveries (company_id, id, subscription_id, type, occurred_at, journey_id,
			                                  enrollment_id, contact_id, data, due_at)
			select e.company_id,
			       cast(cast(:eventPrefix as text)
			            || to_hex(cast(:eventBase as bigint) + row_number() over (partition by e.company_id order by e.id, s.id)) as uuid),
			       s.id, 'enrollment.step_failed', :now, e.journey_id, e.id, e.contact_id,
			       jsonb_build_object('step', jsonb_build_object('id', cast(:step as text)), 'attempt', f.attempt,
			                          'status', f.status, 'error', f.error),
			       :now
			from unnest(cast(:ids as uuid[]), cast(:attempts as integer[]), cast(:statuses as integer[]),
			            cast(:errors as text[])) as f(id, attempt, status, error)
			join enrollments e on e.company_id = :company and e.id = f.id
			join subscriptions s on s.company_id = e.company_id and 'enrollment.step_failed' = any(s.event_types)
			     and (s.journey_ids is null or e.journey_id = any(s.journey_ids))
			where s.company_id = :company and exists (select 1 from subscriptions w where w.company_id = :company)
			""";

	/** Company-wide: every subscription with the type, whatever its journeys. */
	private static final String DESTINATION = """
			insert into lifecycle_deliveries (company_id, id, subscription_id, type, occurred_at, data, due_at)
			select s.company_id,
			       cast(cast(:eventPrefix as text)
			            || to_hex(cast(:eventBase as bigint) + row_number() over (partition by s.company_id order by s.id)) as uuid),
			       s.id, :type, :now,
			       jsonb_build_object('destination', jsonb_build_object('id', cast(:destination as text),
			                          'origin', cast(:origin as text), 'state', cast(:state as text),
			                          'paused_reason', cast(:reason as text))),
			       :now
			from subscriptions s
			where s.company_id = :company and :type = any(s.event_types)
			""";

	private static final String WANTED = """
			select exists (select 1 from subscriptions s
			               where s.company_id = :company and :type = any(s.event_types)
			                 and (s.journey_ids is null or cast(:journey as uuid) = any(s.journey_ids)))
			""";

	private final JdbcClient jdbc;

	LifecycleOutbox(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A failed call of a webhook step: {@code attempt} counts from 1. */
	public record FailedCall(UUID enrollmentId, int attempt, @Nullable Integer status, String error) {
	}

	/**
	 * Whether a subscription wants {@code type} of the journey's enrollments: a change of
	 * many rows asks first, and reads back their ids only then.
	 */
	public boolean wanted(UUID companyId, LifecycleEvent type, UUID journeyId) {
		return Boolean.TRUE.equals(this.jdbc.sql(WANTED)
			.param("company", companyId)
			.param("type", type.type())
			.param("journey", journeyId)
			.query(Boolean.class)
			.single());
	}

	/**
	 * {@code enrollment.entered} for enrollments inserted by id (an import's active rows,
	 * an event's trigger); ended ones are skipped.
	 */
	public int entered(UUID companyId, List<UUID> enrollmentIds, Instant now) {
		return byIds(ENTERED_BY_ID, companyId, enrollmentIds, now);
	}

	/**
	 * {@code enrollment.completed} or {@code enrollment.exited} for enrollments that have
	 * just ended, each as its row now says; active ones are skipped.
	 */
	public int ended(UUID companyId, List<UUID> enrollmentIds, Instant now) {
		return byIds(ENDED, companyId, enrollmentIds, now);
	}

	private int byIds(String statement, UUID companyId, List<UUID> enrollmentIds, Instant now) {
		if (enrollmentIds.isEmpty()) {
			return 0;
		}
		return bindEventIds(this.jdbc.sql(statement), now).param("company", companyId)
			.param("ids", enrollmentIds.toArray(UUID[]::new))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/** {@code enrollment.step_failed} for each failed call of a webhook step. */
	public int stepFailed(UUID companyId, String stepId, List<FailedCall> calls, Instant now) {
		if (calls.isEmpty()) {
			return 0;
		}
		return bindEventIds(this.jdbc.sql(STEP_FAILED), now).param("company", companyId)
			.param("step", stepId)
			.param("ids", calls.stream().map(FailedCall::enrollmentId).toArray(UUID[]::new))
			.param("attempts", calls.stream().map(FailedCall::attempt).toArray(Integer[]::new))
			.param("statuses", calls.stream().map(FailedCall::status).toArray(Integer[]::new))
			.param("errors", calls.stream().map(FailedCall::error).toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/** {@code destination.paused}, for the caller's transaction that pauses it. */
	public int destinationPaused(UUID companyId, UUID destinationId, String origin, String pausedReason, Instant now) {
		return destination(companyId, LifecycleEvent.DESTINATION_PAUSED, destinationId, origin, "paused", pausedReason,
				now);
	}

	/** {@code destination.resumed}, for the caller's transaction that resumes it. */
	public int destinationResumed(UUID companyId, UUID destinationId, String origin, Instant now) {
		return destination(companyId, LifecycleEvent.DESTINATION_RESUMED, destinationId, origin, "active", null, now);
	}

	private int destination(UUID companyId, LifecycleEvent type, UUID destinationId, String origin, String state,
			@Nullable String reason, Instant now) {
		return bindEventIds(this.jdbc.sql(DESTINATION), now).param("company", companyId)
			.param("type", type.type())
			.param("destination", destinationId.toString())
			.param("origin", origin)
			.param("state", state)
			.param("reason", reason, java.sql.Types.VARCHAR)
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/** Binds {@code eventPrefix} and {@code eventBase}: a new block of ids. */
	public static JdbcClient.StatementSpec bindEventIds(JdbcClient.StatementSpec statement, Instant now) {
		IdBlock ids = IdBlock.at(now);
		return statement.param("eventPrefix", ids.prefix()).param("eventBase", ids.base());
	}

}
