package io.journeys.enrollment;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.journeys.enrollment.Results.EnrollResult;
import io.journeys.enrollment.Results.NotEnrolled;
import io.journeys.web.SqlTimes;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fast path of enroll: contacts named by email, in a transaction of two statements
 * ({@link EnrollStatements#LOCK_JOURNEY}, {@link EnrollStatements#ENROLL_NAMED}) on a
 * small pool of its own.
 * <p>
 * The pool exists for two reasons. Its connections run with
 * {@code plan_cache_mode = force_generic_plan}, so PostgreSQL plans the statement once
 * per connection instead of on every call (planning it cost more than running it for one
 * contact), and with {@code enable_seqscan = off}, so that this plan is made of index
 * probes whatever the table statistics were when it was made; the statement is written so
 * that this plan is the right one for any number of emails. And small enrolls never wait
 * behind enrolls of whole lists, which use the main pool.
 */
@Component
class NamedEnrollments implements DisposableBean {

	/** The settings of the pool's sessions, as pgjdbc's {@code options} property. */
	static final String SESSION_OPTIONS = "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off";

	private final HikariDataSource pool;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	NamedEnrollments(DataSource dataSource, EnrollmentProperties properties,
			ObjectProvider<MeterRegistry> meterRegistry) {
		if (!(dataSource instanceof HikariDataSource main)) {
			throw new IllegalStateException("the enroll pool copies the settings of the main pool, which must be "
					+ "HikariCP, not " + dataSource.getClass().getName());
		}
		this.pool = new HikariDataSource(poolConfig(main, properties.namedPoolSize(), meterRegistry));
		this.jdbc = JdbcClient.create(this.pool);
		this.transactions = new TransactionTemplate(new JdbcTransactionManager(this.pool));
	}

	/**
	 * Locks the journey and, if it is {@code on}, enrolls: two statements in one
	 * transaction, so that the enroll's snapshot is taken after any state change,
	 * completion or import it waited for has committed. See {@link NamedEnrollment}.
	 */
	NamedEnrollment enroll(UUID companyId, UUID journeyId, List<String> contactEmails, Instant now,
			Instant reentryCutoff, Audit audit) {
		return this.transactions.execute(status -> {
			String state = this.jdbc.sql(EnrollStatements.LOCK_JOURNEY)
				.param("company", companyId)
				.param("journey", journeyId)
				.query(String.class)
				.optional()
				.orElse(null);
			if (!"on".equals(state)) {
				return new NamedEnrollment(state,
						new EnrollResult(0, new NotEnrolled(List.of(), List.of(), List.of())));
			}
			EnrollResult result = EnrollStatements.collect(this.jdbc.sql(EnrollStatements.ENROLL_NAMED)
				.param("company", companyId)
				.param("journey", journeyId)
				.param("emails", contactEmails.toArray(String[]::new))
				.param("now", SqlTimes.bind(now))
				.param("cutoff", SqlTimes.bind(reentryCutoff))
				.param("apiKey", audit.apiKeyId())
				.param("requestId", audit.requestId(), Types.VARCHAR));
			return new NamedEnrollment(state, result);
		});
	}

	/** Whether the pool hands out a working connection, for the health endpoint. */
	boolean reachable() {
		try (Connection connection = this.pool.getConnection()) {
			return connection.isValid(2);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	@Override
	public void destroy() {
		this.pool.close();
	}

	/** The main pool's connection settings, with generic plans and a size of its own. */
	private static HikariConfig poolConfig(HikariDataSource main, int size,
			ObjectProvider<MeterRegistry> meterRegistry) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("journeys-enroll");
		config.setJdbcUrl(main.getJdbcUrl());
		config.setUsername(main.getUsername());
		config.setPassword(main.getPassword());
		if (main.getDriverClassName() != null) {
			config.setDriverClassName(main.getDriverClassName());
		}
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(Math.min(size, 2));
		config.setConnectionTimeout(main.getConnectionTimeout());
		config.setValidationTimeout(main.getValidationTimeout());
		config.setMaxLifetime(main.getMaxLifetime());
		config.setIdleTimeout(main.getIdleTimeout());
		config.setKeepaliveTime(main.getKeepaliveTime());
		config.setConnectionInitSql(main.getConnectionInitSql());
		// The main pool has already checked the database at start; this one fills lazily.
		config.setInitializationFailTimeout(-1);
		Properties properties = new Properties();
		properties.putAll(main.getDataSourceProperties());
		// One plan per connection, made on its fifth execution, whatever the statistics
		// say
		// then: right after a migration or a bulk load they can claim that enrollments is
		// empty, and a plan with sequential scans made then would be kept while the table
		// grows (seen: 28 s for 1,000 emails instead of 0.1 s). Every relation the
		// statement reads has the index it needs, so sequential scans are ruled out.
		properties.setProperty("options", SESSION_OPTIONS);
		config.setDataSourceProperties(properties);
		meterRegistry
			.ifAvailable(registry -> config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry)));
		return config;
	}

}
