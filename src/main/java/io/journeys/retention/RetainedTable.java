package io.journeys.retention;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A table whose rows are deleted once they are older than its retention.
 *
 * @param table the table, with a {@code company_id} column (its distribution column on
 * Citus)
 * @param purgeBatch the statement that deletes one batch of one company's rows older than
 * {@code :before}, at most {@code :batch} of them: found by the company and the time,
 * deleted by location (a TID scan), so a batch reads its own rows only; the company
 * condition routes both to its shard on Citus
 * @param retention the setting that says how long rows are kept
 */
record RetainedTable(String table, String purgeBatch, Function<RetentionProperties, Duration> retention) {

	/**
	 * Another table is one more entry here and one more setting. A timeline's decisions
	 * are kept: the journey's {@code stats} count the ways taken from them. A lifecycle
	 * delivery still pending is kept until it is sent or fails; its time-ordered id keeps
	 * the oldest first in its primary key, and {@code :beforeId} (below every id made at
	 * {@code :before} or after) ends the purge's reading there, so it needs no index of
	 * its own.
	 */
	static final List<RetainedTable> ALL = List.of(new RetainedTable("enrollment_events", """
			delete from enrollment_events
			where company_id = :company and ctid = any (array(
			    select ctid from enrollment_events
			    where company_id = :company and at < :before and kind <> 'decided'
			    limit :batch))
			""", RetentionProperties::enrollmentEvents), new RetainedTable("lifecycle_deliveries", """
			delete from lifecycle_deliveries
			where company_id = :company and ctid = any (array(
			    select ctid from lifecycle_deliveries
			    where company_id = :company and id < :beforeId and occurred_at < :before and status <> 'pending'
			    limit :batch))
			""", RetentionProperties::lifecycleDeliveries));

}
