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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Fails {@code getConnection} at once for a while after a pool could not reach the
 * database, rather than have every request wait out the timeout and some be applied after
 * their callers gave up. Only class 08 counts: every connection busy means it is there.
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
			pool.setExceptionOverride(new SessionFailures(() -> refresh(pool, beanName)));
		}
		ProxyFactory proxy = new ProxyFactory(pool);
		proxy.setProxyTargetClass(true);
		CircuitBreaker breaker = breaker(beanName);
		proxy.addAdvice((MethodInterceptor) invocation -> {
			if (!invocation.getMethod().getName().equals("getConnection")) {
				return invocation.proceed();
			}
			try {
				return breaker.executeCheckedSupplier(() -> (Connection) invocation.proceed());
			}
			catch (CallNotPermittedException ex) {
				throw new SQLTransientConnectionException(
						breaker.getName()
								+ " - the database could not be reached a moment ago; refused without waiting",
						"08001", ex);
			}
		});
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

	/** One session's broken connection to a restarted Citus worker means all have one. */
	private static void refresh(HikariDataSource pool, String name) {
		if (!DatabaseFailures.firstIn(REFRESH_EVERY, "refresh of pool " + name)) {
			return;
		}
		HikariPoolMXBean sessions = pool.getHikariPoolMXBean();
		if (sessions != null) {
			log.info("pool {} met a broken connection to a database node that restarted: its sessions are "
					+ "replaced, so that none keeps such a connection", name);
			sessions.softEvictConnections();
		}
	}

}
