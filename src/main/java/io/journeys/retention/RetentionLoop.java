package io.journeys.retention;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs where the runner runs, as the other background work does. */
@Component
@ConditionalOnBooleanProperty(name = "journeys.runner.enabled", matchIfMissing = true)
class RetentionLoop {

	private static final Logger log = LoggerFactory.getLogger(RetentionLoop.class);

	private final RetentionPurge purge;

	private final RetentionProperties properties;

	private final Clock clock;

	RetentionLoop(RetentionPurge purge, RetentionProperties properties, Clock clock) {
		this.purge = purge;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${journeys.retention.purge-interval:1h}", initialDelayString = "2m")
	void purge() {
		for (RetainedTable table : RetainedTable.ALL) {
			Duration retention = table.retention().apply(this.properties);
			try {
				long purged = this.purge.purge(table, this.clock.instant().minus(retention),
						this.properties.batchSize());
				if (purged > 0) {
					log.info("Purged {} rows of {} older than {}", purged, table.table(), retention);
				}
			}
			catch (DataAccessException ex) {
				log.warn("The purge of old rows of {} failed; it is tried again next interval", table.table(), ex);
			}
		}
	}

}
