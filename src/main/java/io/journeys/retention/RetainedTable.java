package io.journeys.retention;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A table whose rows are deleted once {@code timeColumn} is older than its retention.
 * {@code key} names columns that, with {@code company_id}, pick the rows a batch chose
 * (every row with those values is old too, when the time column is one of them).
 *
 * @param table the table, distributed by {@code company_id} on Citus
 * @param timeColumn a {@code timestamptz} column with an index behind
 * {@code (company_id, timeColumn)}
 * @param key the columns a batch's rows are deleted by
 * @param retention the setting that says how long rows are kept
 */
record RetainedTable(String table, String timeColumn, String key, Function<RetentionProperties, Duration> retention) {

	/** Another table is one more line here and one more setting. */
	static final List<RetainedTable> ALL = List
		.of(new RetainedTable("enrollment_events", "at", "enrollment_id, at", RetentionProperties::enrollmentEvents));

}
