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
 * Puts every Hikari pool behind a circuit breaker (Resilience4j) that opens when the pool
 * could not reach the database: for {@link DatabaseProperties#refuseFor()} after such a
 * failure, asking the pool for a connection fails at once, then one caller tries again.
 * <p>
 * Without it, every request arriving while the database is away waits the pool's whole
 * connection timeout, and a request that waits in line behind another (a key lookup, a
 * rate-limit synchronization) waits it again after that one failed; requests piled up for
 * minutes and some were applied when the database came back, long after their callers had
 * given up. With it, a request waits at most one connection timeout in all, and is
 * refused with a 503 rather than parked.
 * <p>
 * Only a failure to reach the database counts (an SQLSTATE of class 08: the pool's
 * timeout carries the last connection error's): a timeout because every connection is
 * busy says the database is there, and leaves the breaker closed.
 */
public final class UnreachableDatabaseBreaker implements BeanPostProcessor {

	private static final Logger log = LoggerFactory.getLogger(UnreachableDatabaseBreaker.class);

	/** How often one pool's sessions are replaced at most. */
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
	 * Replaces every session of a pool, at most once in {@link #REFRESH_EVERY}, when one
	 * of them found its cached connection to a Citus worker broken: the worker restarted,
	 * and the sessions that have not reached it since would each fail one request the
	 * same way. The sessions in use are closed when they come back.
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

	/** Sends {@code getConnection} through the breaker; everything else goes straight. */
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
