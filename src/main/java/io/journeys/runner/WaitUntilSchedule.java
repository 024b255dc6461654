package io.journeys.runner;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.journey.Shares;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The due times of {@code wait_until} steps. An enrollment that enters one is due at once
 * with {@code due_at = step_started_at}; a runner pass reads the zones and entry times of
 * such rows ({@link #unscheduled}), computes each due time in Java and stores them all
 * ({@link #schedule}); a contact's zone change makes them unscheduled again
 * ({@link #unschedule}). Each statement names one company, as {@link RunnerRepository}'s.
 */
@Repository
class WaitUntilSchedule {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	WaitUntilSchedule(JdbcClient jdbc) {
		this.jdbc = jdbc;
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

}
