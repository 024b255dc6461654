package io.journeys.journey;

import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.journeys.journey.JourneyStats.StepStats;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import org.springframework.data.repository.Repository;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Archived, never deleted: enrollments keep their journey without a foreign key. */
interface JourneyRepository extends Repository<Journey, TenantKey>, JourneyQueries {

	Journey save(Journey journey);

	Optional<Journey> findByCompanyIdAndId(UUID companyId, UUID id);

	boolean existsByCompanyIdAndId(UUID companyId, UUID id);

}

interface JourneyQueries {

	List<JourneyView> page(UUID companyId, @Nullable JourneyState state, PageQuery query);

	/** The one row lock that excludes each enroll's {@code FOR KEY SHARE}. */
	Optional<JourneyState> lockExclusive(UUID companyId, UUID id);

	JourneyStats stats(UUID companyId, UUID id, List<Step> steps, Instant now);

}

class JourneyQueriesImpl implements JourneyQueries {

	private final JdbcClient jdbc;

	JourneyQueriesImpl(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<JourneyView> page(UUID companyId, @Nullable JourneyState state, PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select id, name, state, created_at, updated_at, steps, trigger, goal, time_zone from journeys
				where company_id = :company
				  and (cast(:state as text) is null or state = :state)
				  and (cast(:afterAt as timestamptz) is null or (created_at, id) > (:afterAt, :afterId))
				order by created_at, id
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("state", state == null ? null : state.value(), Types.VARCHAR)
			.param("limit", query.fetchSize())
			.query((rs, row) -> new JourneyView("journey", rs.getObject("id", UUID.class), rs.getString("name"),
					rs.getString("state"), SqlTimes.read(rs, "created_at"), SqlTimes.read(rs, "updated_at"),
					Steps.read(rs.getString("steps")), EventRule.read(rs.getString("trigger")),
					EventRule.read(rs.getString("goal")), rs.getString("time_zone"), null, null))
			.list();
	}

	@Override
	public Optional<JourneyState> lockExclusive(UUID companyId, UUID id) {
		return this.jdbc.sql("select state from journeys where company_id = :company and id = :id for update")
			.param("company", companyId)
			.param("id", id)
			.query((rs, row) -> JourneyState.of(rs.getString("state")).orElseThrow())
			.optional();
	}

	@Override
	public JourneyStats stats(UUID companyId, UUID id, List<Step> steps, Instant now) {
		Map<String, StepStats> atSteps = new HashMap<>();
		long[] notStarted = { 0 };
		this.jdbc.sql("""
				select step_id,
				       count(*) filter (where due_at > :now and attempts = 0) as waiting,
				       count(*) filter (where due_at <= :now) as due,
				       count(*) filter (where due_at > :now and attempts > 0) as retrying
				from enrollments
				where company_id = :company and journey_id = :journey and status = 'active' and due_at is not null
				group by step_id
				""").param("company", companyId).param("journey", id).param("now", SqlTimes.bind(now)).query(rs -> {
			String step = rs.getString("step_id");
			if (step == null) {
				notStarted[0] += rs.getLong("waiting") + rs.getLong("due") + rs.getLong("retrying");
			}
			else {
				atSteps.put(step,
						new StepStats(step, rs.getLong("waiting"), rs.getLong("due"), rs.getLong("retrying")));
			}
		});
		long[] ended = this.jdbc.sql("""
				select count(*) filter (where status = 'completed') as completed,
				       count(*) filter (where status = 'exited') as exited,
				       count(*) filter (where exit_reason = 'action_failed') as action_failed,
				       count(*) filter (where exit_reason = 'goal_reached') as goal_reached
				from enrollments
				where company_id = :company and journey_id = :journey and status <> 'active'
				""")
			.param("company", companyId)
			.param("journey", id)
			.query((rs,
					row) -> new long[] { rs.getLong("completed"), rs.getLong("exited"), rs.getLong("action_failed"),
							rs.getLong("goal_reached") })
			.single();
		List<StepStats> perStep = steps.stream()
			.map(step -> atSteps.getOrDefault(step.id(), new StepStats(step.id(), 0, 0, 0)))
			.toList();
		return new JourneyStats(perStep, notStarted[0], ended[0], ended[1], ended[2], ended[3]);
	}

}
