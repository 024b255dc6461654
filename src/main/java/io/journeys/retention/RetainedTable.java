package io.journeys.retention;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A table whose rows are deleted once {@code timeColumn} is older than its retention.
 *
 * @param table the table, with a {@code company_id} column (its distribution column on
 * Citus)
 * @param timeColumn a {@code timestamptz} column, with an index on
 * {@code (company_id, timeColumn)}
 * @param condition more SQL the rows must meet, starting with {@code " and"}, or empty
 * @param retention the setting that says how long rows are kept
 */
record RetainedTable(String table, String timeColumn, String condition,
		Function<RetentionProperties, Duration> retention) {

	/**
	 * Another table is one more line here and one more setting. A timeline's decisions
	 * are kept: the journey's {@code stats} count the ways taken from them. A lifecycle
	 * delivery still pending is kept until it is sent or fails; its time-ordered id keeps
	 * the oldest first in its primary key, so the purge needs no index of its own.
	 */
	static final List<RetainedTable> ALL = List.of(
			new RetainedTable("enrollment_events", "at", " and kind <> 'decided'",
					RetentionProperties::enrollmentEvents),
			new RetainedTable("lifecycle_deliveries", "occurred_at", " and status <> 'pending'",
					RetentionProperties::lifecycleDeliveries));

}
