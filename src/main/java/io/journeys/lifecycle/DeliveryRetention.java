package io.journeys.lifecycle;

import java.time.Clock;
import java.time.Instant;

import io.journeys.persistence.CompanyPurge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deliveries sent or failed leave the log after {@link LifecycleProperties#retention}.
 */
@Component
class DeliveryRetention {

	private static final Logger log = LoggerFactory.getLogger(DeliveryRetention.class);

	static final int PURGE_BATCH = 10_000;

	/** One company's batch: {@link CompanyPurge}. */
	private static final String PURGE = """
			delete from lifecycle_deliveries
			where company_id = :company and id in (
			    select d.id from lifecycle_deliveries d
			    where d.company_id = :company and d.status <> 'pending' and d.occurred_at < :before
			    limit :batch)
			""";

	private final JdbcClient jdbc;

	private final LifecycleProperties properties;

	private final Clock clock;

	DeliveryRetention(JdbcClient jdbc, LifecycleProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${journeys.lifecycle.purge-interval:1h}", initialDelayString = "1m")
	void purge() {
		try {
			int purged = purge(this.clock.instant().minus(this.properties.retention()));
			if (purged > 0) {
				log.info("Purged {} lifecycle event deliveries older than {}", purged, this.properties.retention());
			}
		}
		catch (DataAccessException ex) {
			log.warn("The purge of old lifecycle event deliveries failed; it is tried again next interval", ex);
		}
	}

	int purge(Instant before) {
		return CompanyPurge.run(this.jdbc, PURGE, before, PURGE_BATCH);
	}

}
