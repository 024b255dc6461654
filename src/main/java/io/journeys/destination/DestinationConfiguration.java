package io.journeys.destination;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.journeys.destination.DestinationRepository.StateCount;
import io.journeys.persistence.DatabaseFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
class DestinationConfiguration {

	@Bean
	DestinationHousekeeping destinationHousekeeping(DestinationRepository destinations, MeterRegistry registry) {
		return new DestinationHousekeeping(destinations, registry);
	}

	/**
	 * Counts the destinations in each state for {@code journeys_destination_state}, and
	 * drops the minutes older than any view or breaker reads, every 30 seconds.
	 */
	static final class DestinationHousekeeping {

		private static final Logger log = LoggerFactory.getLogger(DestinationHousekeeping.class);

		private final DestinationRepository destinations;

		private final MultiGauge states;

		private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

		DestinationHousekeeping(DestinationRepository destinations, MeterRegistry registry) {
			this.destinations = destinations;
			this.states = MultiGauge.builder("journeys.destination.state")
				.description("Destinations in each state (active, paused) and, when paused, for which reason")
				.register(registry);
		}

		@Scheduled(fixedDelayString = "${journeys.destinations.refresh-interval:30s}", initialDelayString = "1s")
		void refresh() {
			try {
				List<StateCount> counts = this.destinations.states();
				this.states.register(counts.stream()
					.map(count -> MultiGauge.Row.of(Tags.of("state", count.state(), "reason", count.reason()),
							count.count()))
					.toList(), true);
				Instant now = Instant.now();
				if (this.lastPurge.get().isBefore(now.minus(Duration.ofMinutes(10)))) {
					this.lastPurge.set(now);
					this.destinations.purgeMinutes(now.minus(Duration.ofHours(2)));
				}
			}
			catch (RuntimeException ex) {
				if (DatabaseFailures.firstThisMinute("destination housekeeping")) {
					log.warn("could not count destinations or purge their old minutes: {}",
							DatabaseFailures.describe(ex));
				}
			}
		}

	}

}
