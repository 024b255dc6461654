package io.journeys.retention;

import java.time.Instant;

import io.journeys.persistence.CompanyPurge;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Deletes old rows of a {@link RetainedTable} company by company, at most
 * {@code batchSize} rows per statement, each statement its own transaction: it locks only
 * the rows it deletes, for as long as one batch takes, and never a journey or an
 * enrollment. Every statement names one company, so on Citus it runs on that company's
 * shard alone; a company whose worker is down fails on its own and the others go on.
 */
@Repository
class RetentionPurge {

	/**
	 * The table (twice), its time column and its condition are filled in from
	 * {@link RetainedTable}, nothing a caller sends. The batch's rows are found by the
	 * {@code (company_id, time)} index and deleted by location (a TID scan), so a batch
	 * reads its own rows only, however many the company has; the company condition routes
	 * both to its shard on Citus.
	 */
	private static final String PURGE_BATCH = """
			delete from %1$s
			where company_id = :company and ctid = any (array(
			    select ctid from %1$s
			    where company_id = :company and %2$s < :before%3$s
			    limit :batch))
			""";

	private final JdbcClient jdbc;

	RetentionPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Rows deleted, all companies together. */
	long purge(RetainedTable table, Instant before, int batchSize) {
		return CompanyPurge.run(this.jdbc, table.table(),
				PURGE_BATCH.formatted(table.table(), table.timeColumn(), table.condition()), before, batchSize);
	}

}
