package io.journeys.persistence;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** What every connection pool of the service gets: the breaker for a lost database. */
@Configuration(proxyBeanMethods = false)
class PoolConfiguration {

	/** Static, bound by hand: a post-processor exists before the beans it processes. */
	@Bean
	static UnreachableDatabaseBreaker unreachableDatabaseBreaker(Environment environment) {
		return new UnreachableDatabaseBreaker(
				Binder.get(environment).bindOrCreate("journeys.database", DatabaseProperties.class));
	}

}
