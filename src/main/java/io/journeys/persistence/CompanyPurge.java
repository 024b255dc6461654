package io.journeys.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A purge company by company, a batch at a time, so that no statement is long or spans
 * shards: the statement deletes at most {@code :batch} rows of {@code :company} older
 * than {@code :before} ({@code :beforeId} is below every time-ordered id made at that
 * time or after, for a table keyed by them), and runs again while it deletes a whole
 * batch. Each batch commits on its own; a company whose statement fails (its Citus worker
 * is down) is left for the next purge and the others go on.
 */
public final class CompanyPurge {

	private static final Logger log = LoggerFactory.getLogger(CompanyPurge.class);

	private CompanyPurge() {
	}

	/** How many rows were deleted; {@code what} names them in the log. */
	public static long run(JdbcClient jdbc, String what, String statement, Instant before, int batchSize) {
		long purged = 0;
		List<UUID> companies = jdbc.sql("select id from companies").query(UUID.class).list();
		for (UUID company : companies) {
			try {
				int batch;
				do {
					batch = jdbc.sql(statement)
						.param("company", company)
						.param("before", SqlTimes.bind(before))
						.param("beforeId", IdBlock.firstAt(before))
						.param("batch", batchSize)
						.update();
					purged += batch;
				}
				while (batch == batchSize);
			}
			catch (DataAccessException ex) {
				if (DatabaseFailures.firstThisMinute("purge of " + what)) {
					log.warn(
							"Purging old {} of company {} failed ({}); the other companies go on, this one is tried "
									+ "again next time (this line once a minute)",
							what, company, DatabaseFailures.describe(ex));
				}
			}
		}
		return purged;
	}

}
