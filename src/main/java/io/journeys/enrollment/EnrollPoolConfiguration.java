package io.journeys.enrollment;

import java.sql.Connection;
import java.sql.SQLException;

import java.time.Duration;
import java.util.concurrent.Semaphore;

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
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The enroll pool: a second connection pool, used by every enroll that names contacts
 * only; and the two {@link EnrollPool}s, each with the statement set of the engine.
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
	 * Enrolls that name contacts only, on the enroll pool, as many at once as it serves.
	 */
	@Bean
	@Qualifier("byEmail")
	EnrollPool emailEnrolls(@Qualifier("enroll") DataSource pool, DatabaseEngine engine, EnrollmentMetrics metrics) {
		TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(pool));
		return new EnrollPool(statements(pool, transactions, engine), transactions, new Semaphore(Integer.MAX_VALUE),
				Duration.ZERO, metrics);
	}

	/**
	 * Enrolls that name lists, up to 100,000 contacts each, on the main pool, a few at a
	 * time, so that small requests always find a connection.
	 */
	@Bean
	@Qualifier("byList")
	EnrollPool listEnrolls(DataSource pool, PlatformTransactionManager transactionManager, DatabaseEngine engine,
			EnrollmentProperties properties, EnrollmentMetrics metrics) {
		TransactionTemplate transactions = new TransactionTemplate(transactionManager);
		return new EnrollPool(statements(pool, transactions, engine), transactions,
				new Semaphore(properties.maxConcurrentListEnrolls(), true), properties.listEnrollWait(), metrics);
	}

	/** The statement set of the engine, chosen here once. */
	private static EnrollStatements statements(DataSource pool, TransactionTemplate transactions,
			DatabaseEngine engine) {
		JdbcClient jdbc = JdbcClient.create(pool);
		return engine.routedStatements() ? new RoutedEnrollStatements(jdbc, transactions)
				: new PlainEnrollStatements(jdbc, new NamedParameterJdbcTemplate(pool));
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
