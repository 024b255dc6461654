package io.journeys.journey;

import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.journeys.journey.Decisions.Way;
import io.journeys.journey.JourneyStats.StepStats;
import io.journeys.journey.JourneyStats.WayCount;
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
						new StepStats(step, rs.getLong("waiting"), rs.getLong("due"), rs.getLong("retrying"), null));
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
		Map<String, Long> taken = steps.stream().anyMatch(Step::decides) ? waysTaken(companyId, id) : Map.of();
		List<StepStats> perStep = new ArrayList<>();
		for (int i = 0; i < steps.size(); i++) {
			Step step = steps.get(i);
			StepStats at = atSteps.getOrDefault(step.id(), new StepStats(step.id(), 0, 0, 0, null));
			perStep.add(step.decides()
					? new StepStats(step.id(), at.waiting(), at.due(), at.retrying(), ways(steps, i, taken)) : at);
		}
		return new JourneyStats(perStep, notStarted[0], ended[0], ended[1], ended[2], ended[3]);
	}

	/** The decisions' rows of the journey's enrollments, by step and way. */
	private Map<String, Long> waysTaken(UUID companyId, UUID id) {
		Map<String, Long> taken = new HashMap<>();
		this.jdbc.sql("""
				select ev.step_id, ev.way, count(*) as taken
				from enrollments e
				join enrollment_events ev on ev.company_id = e.company_id and ev.enrollment_id = e.id
				where e.company_id = :company and e.journey_id = :journey and ev.company_id = :company
				  and ev.kind = 'decided'
				group by ev.step_id, ev.way
				""").param("company", companyId).param("journey", id).query(rs -> {
			taken.put(rs.getString("step_id") + " " + rs.getString("way"), rs.getLong("taken"));
		});
		return taken;
	}

	/** Every way of the decision at {@code at}, as it is now, with how many took it. */
	private static List<WayCount> ways(List<Step> steps, int at, Map<String, Long> taken) {
		Step step = steps.get(at);
		List<WayCount> ways = new ArrayList<>();
		List<String> nexts = step.ways();
		for (int i = 0; i < nexts.size(); i++) {
			String way = step.isSplit() ? Decisions.path(i)
					: (i < nexts.size() - 1) ? Decisions.branchCase(i) : Decisions.OTHERWISE;
			String next = Step.along(steps, at, nexts.get(i)).map(Step::id).orElse(Step.END);
			ways.add(new WayCount(Way.of(way, next), taken.getOrDefault(step.id() + " " + way, 0L)));
		}
		return ways;
	}

}
