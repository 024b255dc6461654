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
 * @param retention the setting that says how long rows are kept
 */
record RetainedTable(String table, String timeColumn, Function<RetentionProperties, Duration> retention) {

	/** Another table is one more line here and one more setting. */
	static final List<RetainedTable> ALL = List
		.of(new RetainedTable("enrollment_events", "at", RetentionProperties::enrollmentEvents));

}
