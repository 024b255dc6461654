package io.journeys.enrollment;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.journeys.persistence.DatabaseEngine;
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
 * A second pool for enrolls by email, for two reasons. Its sessions plan the enroll
 * statement once per connection ({@code force_generic_plan}; planning cost more than
 * running it for one contact; Citus cannot distribute a generic plan) and with
 * {@code enable_seqscan = off}, so a plan made while statistics still say enrollments is
 * empty stays index probes as the table grows. And small enrolls never wait behind
 * enrolls of whole lists, which use the main pool.
 * <p>
 * Not a default candidate, so Boot's DataSource auto-configuration, JPA and Flyway keep
 * the main pool.
 */
@Configuration(proxyBeanMethods = false)
class EnrollPoolConfiguration {

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

	@Bean
	@Qualifier("byEmail")
	EnrollPool emailEnrolls(@Qualifier("enroll") DataSource pool, DatabaseEngine engine, EnrollmentMetrics metrics) {
		TransactionTemplate transactions = new TransactionTemplate(new JdbcTransactionManager(pool));
		return new EnrollPool(statements(pool, transactions, engine), transactions, new Semaphore(Integer.MAX_VALUE),
				Duration.ZERO, metrics);
	}

	/** A few at a time, so that small requests always find a connection. */
	@Bean
	@Qualifier("byList")
	EnrollPool listEnrolls(DataSource pool, PlatformTransactionManager transactionManager, DatabaseEngine engine,
			EnrollmentProperties properties, EnrollmentMetrics metrics) {
		TransactionTemplate transactions = new TransactionTemplate(transactionManager);
		return new EnrollPool(statements(pool, transactions, engine), transactions,
				new Semaphore(properties.maxConcurrentListEnrolls(), true), properties.listEnrollWait(), metrics);
	}

	private static EnrollStatements statements(DataSource pool, TransactionTemplate transactions,
			DatabaseEngine engine) {
		JdbcClient jdbc = JdbcClient.create(pool);
		return engine.routedStatements() ? new RoutedEnrollStatements(jdbc, transactions)
				: new PlainEnrollStatements(jdbc, new NamedParameterJdbcTemplate(pool));
	}

	/** Without it, an instance whose enroll pool cannot connect would stay ready. */
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
