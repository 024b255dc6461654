package io.journeys.runner;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Runs {@link LifecycleSender} on a thread of its own, beside the step runner's passes
 * (the application's scheduler has one thread); a lost database is logged once per
 * outage.
 */
@Component
@ConditionalOnBooleanProperty(name = "journeys.runner.enabled", matchIfMissing = true)
class LifecycleLoop implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LifecycleLoop.class);

	private static final int PASSES_IN_A_ROW = 100;

	private final LifecycleSender sender;

	private final RunnerProperties properties;

	private volatile @Nullable ScheduledExecutorService thread;

	private boolean failing;

	LifecycleLoop(LifecycleSender sender, RunnerProperties properties) {
		this.sender = sender;
		this.properties = properties;
	}

	void run() {
		try {
			for (int pass = 0; pass < PASSES_IN_A_ROW && this.sender.sendDue() > 0; pass++) {
				// a pass that found work is followed by another at once
			}
			if (this.failing) {
				log.info("The lifecycle event sender reaches the database again");
				this.failing = false;
			}
		}
		catch (DataAccessException | CannotCreateTransactionException ex) {
			if (!this.failing) {
				log.warn("A pass of the lifecycle event sender failed on the database; it tries again every poll "
						+ "interval", ex);
				this.failing = true;
			}
		}
		catch (RuntimeException ex) {
			log.warn("A pass of the lifecycle event sender failed; it tries again next poll interval", ex);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "lifecycle-sender");
			thread.setDaemon(true);
			return thread;
		});
		long interval = this.properties.pollInterval().toMillis();
		executor.scheduleWithFixedDelay(this::run, 1000, interval, TimeUnit.MILLISECONDS);
		this.thread = executor;
	}

	/** A batch in flight is let finish for a while; one cut off is sent again later. */
	@Override
	public void stop() {
		ScheduledExecutorService executor = this.thread;
		if (executor == null) {
			return;
		}
		executor.shutdown();
		try {
			executor.awaitTermination(15, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

}
