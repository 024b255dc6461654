package io.journeys.idempotency;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.journeys.persistence.DatabaseFailures;
import io.journeys.web.ErrorWriter;
import io.journeys.web.FilterOrder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyConfiguration.class);

	@Bean
	FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyStore store,
			IdempotencyProperties properties, Clock clock, ErrorWriter errors) {
		FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
				new IdempotencyFilter(store, properties, clock, errors));
		registration.setOrder(FilterOrder.IDEMPOTENCY);
		return registration;
	}

	@Bean
	IdempotencyPurge idempotencyPurge(IdempotencyStore store, Clock clock) {
		return new IdempotencyPurge(store, clock);
	}

	/** Each instance may run it: the delete is idempotent. */
	static class IdempotencyPurge {

		private final IdempotencyStore store;

		private final Clock clock;

		IdempotencyPurge(IdempotencyStore store, Clock clock) {
			this.store = store;
			this.clock = clock;
		}

		@Scheduled(fixedDelayString = "${journeys.idempotency.purge-interval:10m}", initialDelayString = "1m")
		int purge() {
			try {
				int purged = this.store.purgeExpired(this.clock.instant());
				if (purged > 0) {
					log.info("purged {} expired idempotency keys", purged);
				}
				return purged;
			}
			catch (RuntimeException ex) {
				log.warn("could not purge idempotency keys: {}", DatabaseFailures.describe(ex));
				return 0;
			}
		}

	}

}
