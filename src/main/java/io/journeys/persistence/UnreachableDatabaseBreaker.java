package io.journeys.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts every Hikari pool behind a circuit breaker: for
 * {@link DatabaseProperties#refuseFor()} after it could not reach the database,
 * {@code getConnection} fails at once. Otherwise every request waits out the connection
 * timeout, one behind another, and some are applied long after their callers gave up.
 * <p>
 * Only class 08 counts (the pool's timeout carries the last connection error's): a
 * timeout with every connection busy means the database is there.
 */
public final class UnreachableDatabaseBreaker implements BeanPostProcessor {

	private static final Logger log = LoggerFactory.getLogger(UnreachableDatabaseBreaker.class);

	private static final Duration REFRESH_EVERY = Duration.ofSeconds(10);

	private final DatabaseProperties properties;

	public UnreachableDatabaseBreaker(DatabaseProperties properties) {
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof HikariDataSource pool)) {
			return bean;
		}
		if (pool.getExceptionOverride() instanceof SessionFailures) {
			pool.setExceptionOverride(new SessionFailures(new Refresh(pool, beanName)));
		}
		ProxyFactory proxy = new ProxyFactory(pool);
		proxy.setProxyTargetClass(true);
		proxy.addAdvice(new Refusing(breaker(beanName)));
		return proxy.getProxy(pool.getClass().getClassLoader());
	}

	private CircuitBreaker breaker(String name) {
		CircuitBreaker breaker = CircuitBreaker.of(name,
				CircuitBreakerConfig.custom()
					.slidingWindow(1, 1, SlidingWindowType.COUNT_BASED)
					.failureRateThreshold(100)
					.waitDurationInOpenState(this.properties.refuseFor())
					.permittedNumberOfCallsInHalfOpenState(1)
					.recordException(UnreachableDatabaseBreaker::unreachable)
					.build());
		breaker.getEventPublisher().onStateTransition(event -> {
			switch (event.getStateTransition().getToState()) {
				case OPEN -> {
					if (event.getStateTransition().getFromState() == CircuitBreaker.State.CLOSED) {
						log.warn("pool {} cannot reach the database: its callers are refused at once, and one tries "
								+ "again every {} ms", name, this.properties.refuseFor().toMillis());
					}
				}
				case CLOSED -> log.info("pool {} reaches the database again", name);
				default -> {
				}
			}
		});
		return breaker;
	}

	static boolean unreachable(@Nullable Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Replaces a pool's sessions when one found its cached connection to a restarted
	 * Citus worker broken, as each other session would fail one request the same way.
	 */
	private static final class Refresh implements Runnable {

		private final HikariDataSource pool;

		private final String name;

		Refresh(HikariDataSource pool, String name) {
			this.pool = pool;
			this.name = name;
		}

		@Override
		public void run() {
			if (!DatabaseFailures.firstIn(REFRESH_EVERY, "refresh of pool " + this.name)) {
				return;
			}
			HikariPoolMXBean sessions = this.pool.getHikariPoolMXBean();
			if (sessions != null) {
				log.info("pool {} met a broken connection to a database node that restarted: its sessions are "
						+ "replaced, so that none keeps such a connection", this.name);
				sessions.softEvictConnections();
			}
		}

	}

	private static final class Refusing implements MethodInterceptor {

		private final CircuitBreaker breaker;

		Refusing(CircuitBreaker breaker) {
			this.breaker = breaker;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			if (!invocation.getMethod().getName().equals("getConnection")) {
				return invocation.proceed();
			}
			try {
				return this.breaker.executeCheckedSupplier(() -> (Connection) invocation.proceed());
			}
			catch (CallNotPermittedException ex) {
				throw new SQLTransientConnectionException(
						this.breaker.getName()
								+ " - the database could not be reached a moment ago; refused without waiting",
						"08001", ex);
			}
		}

	}

}
