package io.journeys.enrollment;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.journeys.persistence.DatabaseEngine;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The enroll pool: a second connection pool, used by every enroll that names contacts
 * only (see {@link EnrollmentService#enroll}).
 * <p>
 * It exists for two reasons. Its sessions run with
 * {@code plan_cache_mode = force_generic_plan}, so PostgreSQL plans the enroll statement
 * once per connection instead of on every call (planning it cost more than running it for
 * one contact; on Citus, which cannot distribute a generic plan, the sessions keep the
 * default), and with {@code enable_seqscan = off}, so that plan is made of index probes
 * whatever the statistics said when it was made (right after a migration or a bulk load
 * they can claim that enrollments is empty; a plan with sequential scans made then was
 * kept while the table grew: 28 s for 1,000 emails instead of 0.1 s). And small enrolls
 * never wait behind enrolls of whole lists, which use the main pool.
 * <p>
 * It connects where the main pool does (Boot's {@link JdbcConnectionDetails}) and is
 * bound from the main pool's settings ({@code spring.datasource.hikari.*}) with
 * {@code journeys.enrollment.pool.*} over them. It is not a default candidate, so Boot's
 * DataSource auto-configuration, JPA and Flyway keep the main pool.
 */
@Configuration(proxyBeanMethods = false)
class EnrollPoolConfiguration {

	/** The settings of the pool's sessions, as pgjdbc's {@code options} property. */
	static final String SESSION_OPTIONS = "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off";

	@Bean(defaultCandidate = false)
	@Qualifier("enroll")
	HikariDataSource enrollDataSource(JdbcConnectionDetails database, Environment environment,
			ObjectProvider<MeterRegistry> meterRegistry, DatabaseEngine engine) {
		HikariDataSource pool = DataSourceBuilder.create()
			.type(HikariDataSource.class)
			.url(database.getJdbcUrl())
			.username(database.getUsername())
			.password(database.getPassword())
			.driverClassName(database.getDriverClassName())
			.build();
		Binder binder = Binder.get(environment);
		binder.bind("spring.datasource.hikari", Bindable.ofInstance(pool));
		pool.setPoolName("journeys-enroll");
		// the main pool has already checked the database at start; this one fills lazily
		pool.setInitializationFailTimeout(-1);
		binder.bind("journeys.enrollment.pool", Bindable.ofInstance(pool));
		if (!engine.citus()) {
			pool.addDataSourceProperty("options", SESSION_OPTIONS);
		}
		meterRegistry
			.ifAvailable(registry -> pool.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)));
		return pool;
	}

	/**
	 * {@code enrollPool} in the health endpoint and the readiness group: an instance
	 * whose main pool works but whose enroll pool cannot connect would fail every enroll
	 * by email.
	 */
	@Bean
	HealthIndicator enrollPoolHealthIndicator(@Qualifier("enroll") DataSource pool) {
		return () -> {
			try (Connection connection = pool.getConnection()) {
				return connection.isValid(2) ? Health.up().build() : Health.down().build();
			}
			catch (SQLException ex) {
				return Health.down().build();
			}
		};
	}

}
