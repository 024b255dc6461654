package io.journeys.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs {@link StepRunner}; a lost database is logged once per outage. */
@Component
@ConditionalOnBooleanProperty(name = "journeys.runner.enabled", matchIfMissing = true)
class RunnerLoop {

	private static final Logger log = LoggerFactory.getLogger(RunnerLoop.class);

	private static final int PASSES_IN_A_ROW = 100;

	private final StepRunner runner;

	private boolean failing;

	RunnerLoop(StepRunner runner) {
		this.runner = runner;
	}

	@Scheduled(fixedDelayString = "${journeys.runner.poll-interval:1s}", initialDelayString = "1s")
	void run() {
		try {
			for (int pass = 0; pass < PASSES_IN_A_ROW && this.runner.runDue() > 0; pass++) {
				// a pass that found work is followed by another at once
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
