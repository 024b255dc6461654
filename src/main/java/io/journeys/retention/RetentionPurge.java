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

	private final JdbcClient jdbc;

	RetentionPurge(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Rows deleted, all companies together. */
	long purge(RetainedTable table, Instant before, int batchSize) {
		return CompanyPurge.run(this.jdbc, table.table(), table.purgeBatch(), before, batchSize);
	}

}
