package io.journeys.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A purge company by company, a batch at a time, so that no statement is long or spans
 * shards: the statement deletes at most {@code :batch} rows of {@code :company} older
 * than {@code :before}, and runs again while it deletes a whole batch.
 */
public final class CompanyPurge {

	private CompanyPurge() {
	}

	/** How many rows were deleted. */
	public static int run(JdbcClient jdbc, String statement, Instant before, int batchSize) {
		int purged = 0;
		List<UUID> companies = jdbc.sql("select id from companies").query(UUID.class).list();
		for (UUID company : companies) {
			int batch;
			do {
				batch = jdbc.sql(statement)
					.param("company", company)
					.param("before", SqlTimes.bind(before))
					.param("batch", batchSize)
					.update();
				purged += batch;
			}
			while (batch == batchSize);
		}
		return purged;
	}

}
