package io.journeys.event;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.journeys.persistence.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies events as soon as this instance accepted them, and every poll interval whatever
 * any instance left pending (one that died right after answering, say). Runs where the
 * runner runs.
 */
@Component
@ConditionalOnBooleanProperty(name = "journeys.runner.enabled", matchIfMissing = true)
class EffectsLoop implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(EffectsLoop.class);

	private static final Duration RETRY_BUSY = Duration.ofMillis(100);

	private final EventEffects effects;

	private final PendingEvents pending;

	private final EventProperties properties;

	private final Clock clock;

	private final Set<UUID> woken = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "event-effects");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean failing;

	EffectsLoop(EventEffects effects, PendingEvents pending, EventProperties properties, Clock clock) {
		this.effects = effects;
		this.pending = pending;
		this.properties = properties;
		this.clock = clock;
	}

	/** A company with events just accepted: applied on this instance's one worker. */
	void wake(UUID companyId) {
		if (this.woken.add(companyId)) {
			try {
				this.worker.execute(() -> {
					this.woken.remove(companyId);
					apply(companyId);
				});
			}
			catch (RejectedExecutionException ex) {
				// shutting down: the events stay queued for the next instance
				this.woken.remove(companyId);
			}
		}
	}

	@Scheduled(fixedDelayString = "${journeys.runner.poll-interval:1s}", initialDelayString = "1s")
	void poll() {
		try {
			this.pending.companies().forEach(this::wake);
			if (this.failing) {
				log.info("Events are applied again");
				this.failing = false;
			}
		}
		catch (DataAccessException ex) {
			if (!this.failing) {
				log.warn("The search for events left to apply failed; it is tried again every poll interval", ex);
				this.failing = true;
			}
		}
	}

	/**
	 * Another instance applying the company's events may have read its queue before this
	 * instance's batch committed: this one looks again shortly, not only at the next
	 * poll.
	 */
	private void apply(UUID companyId) {
		try {
			int applied = this.effects.applyPending(companyId);
			if (applied == EventEffects.BUSY) {
				this.worker.schedule(() -> wake(companyId), RETRY_BUSY.toMillis(), TimeUnit.MILLISECONDS);
			}
			else if (applied > 0) {
				// behind the companies woken meanwhile, until its queue is empty
				wake(companyId);
			}
		}
		catch (DataAccessException ex) {
			if (DatabaseFailures.firstThisMinute("events of " + companyId)) {
				log.warn("Applying the events of company {} failed; they stay pending and are tried again "
						+ "(this line once a minute)", companyId, ex);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Applying the events of company {} failed; they stay pending and are tried again", companyId, ex);
		}
	}

	@Scheduled(fixedDelayString = "${journeys.event.purge-interval:1h}", initialDelayString = "1m")
	void purge() {
		try {
			long purged = this.pending.purge(this.clock.instant().minus(this.properties.retention()));
			if (purged > 0) {
				log.info("Purged {} events older than {}", purged, this.properties.retention());
			}
		}
		catch (DataAccessException ex) {
			log.warn("The purge of old events failed; it is tried again next interval", ex);
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		this.worker.shutdown();
		this.worker.awaitTermination(10, TimeUnit.SECONDS);
	}

}
