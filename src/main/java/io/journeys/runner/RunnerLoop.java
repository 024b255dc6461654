package io.journeys.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@link StepRunner} every poll interval, or a tick after a pass that a
 * destination's limit held back, so that limited calls flow at their rate rather than
 * once per poll; a lost database is logged once per outage.
 */
@Component
@ConditionalOnBooleanProperty(name = "journeys.runner.enabled", matchIfMissing = true)
class RunnerLoop {

	private static final Logger log = LoggerFactory.getLogger(RunnerLoop.class);

	private static final int PASSES_IN_A_ROW = 100;

	private static final long TICK_MILLIS = 50;

	private final StepRunner runner;

	private final long pollNanos;

	private boolean failing;

	private long nextRun = System.nanoTime();

	RunnerLoop(StepRunner runner, RunnerProperties properties) {
		this.runner = runner;
		this.pollNanos = properties.pollInterval().toNanos();
	}

	@Scheduled(fixedDelay = TICK_MILLIS, initialDelay = 1000)
	void tick() {
		if (System.nanoTime() - this.nextRun < 0) {
			return;
		}
		run();
		this.nextRun = System.nanoTime() + (this.runner.heldBack() ? 0 : this.pollNanos);
	}

	void run() {
		try {
			for (int pass = 0; pass < PASSES_IN_A_ROW && this.runner.runDue() > 0 && !this.runner.heldBack(); pass++) {
				// a pass that found work is followed by another at once; one a limit held
				// back, after a tick
			}
			if (this.failing) {
				log.info("The step runner reaches the database again");
				this.failing = false;
			}
		}
		catch (DataAccessException ex) {
			if (!this.failing) {
				log.warn("A pass of the step runner failed on the database; it tries again every poll interval", ex);
				this.failing = true;
			}
		}
	}

}
