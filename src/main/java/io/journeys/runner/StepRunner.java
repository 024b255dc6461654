package io.journeys.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.journeys.journey.Step;
import io.journeys.runner.DueWork.Backlog;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.runner.RunnerRepository.JourneyRow;
import io.journeys.persistence.DatabaseFailures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Holds the journey {@code FOR KEY SHARE}: switching it {@code off} waits for a pass. */
@Component
class StepRunner {

	private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

	private static final int LARGE_MOVE = 1000;

	private static final int BATCHES_PER_PASS = 10;

	private final RunnerRepository repository;

	private final DueWork dueWork;

	private final TransactionTemplate transactions;

	private final WebhookDeliveries deliveries;

	private final RunnerMetrics metrics;

	private final RunnerProperties properties;

	private final Clock clock;

	private final AtomicLong due = new AtomicLong();

	private final AtomicLong lagMillis = new AtomicLong();

	StepRunner(DueWork dueWork, RunnerRepository repository, TransactionTemplate transactions,
			WebhookDeliveries deliveries, RunnerMetrics metrics, RunnerProperties properties, Clock clock,
			MeterRegistry registry) {
		this.dueWork = dueWork;
		this.repository = repository;
		this.transactions = transactions;
		this.deliveries = deliveries;
		this.metrics = metrics;
		this.properties = properties;
		this.clock = clock;
		Gauge.builder("journeys.runner.due", this.due, AtomicLong::get)
			.description("Enrollments whose step was due when the last pass of the runner started")
			.register(registry);
		Gauge.builder("journeys.runner.lag", this.lagMillis, millis -> millis.get() / 1000.0)
			.baseUnit("seconds")
			.description("How long the oldest due step had been due when the last pass started")
			.register(registry);
	}

	int runDue() {
		Instant now = this.clock.instant();
		List<Backlog> backlog = this.dueWork.find(now);
		this.due.set(backlog.stream().mapToLong(Backlog::due).sum());
		this.lagMillis.set(backlog.stream()
			.map(Backlog::oldest)
			.min(Instant::compareTo)
			.map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis()))
			.orElse(0L));
		int work = 0;
		for (Backlog journey : backlog) {
			try {
				work += runJourney(journey.journey());
			}
			catch (DataAccessResourceFailureException | TransientDataAccessResourceException ex) {
				if (!DatabaseFailures.remoteNode(ex)) {
					throw ex;
				}
				// a Citus worker that is down holds back its companies' journeys only
				String failed = DatabaseFailures.describe(ex);
				if (DatabaseFailures.firstThisMinute("runner pass: " + failed)) {
					log.warn(
							"The step runner's pass over journey {} of company {} could not reach the database node "
									+ "holding it: {}; it is tried again next pass (this line once a minute)",
							journey.journey().journeyId(), journey.journey().companyId(), failed);
				}
			}
			catch (RuntimeException ex) {
				// one journey's failure (a secret that does not open) holds back no other
				log.warn("The step runner's pass over journey {} of company {} failed; it is tried again next pass",
						journey.journey().journeyId(), journey.journey().companyId(), ex);
			}
		}
		return work;
	}

	int runJourney(DueJourney due) {
		Moves moves = this.transactions.execute(status -> advance(due));
		if (moves == null || !moves.journeyRuns()) {
			return 0;
		}
		int work = moves.moved();
		List<Step> steps = this.transactions
			.execute(status -> this.repository.lockJourney(due.companyId(), due.journeyId())
				.map(row -> Step.listOf(row.steps()))
				.orElse(null));
		for (Step step : steps == null ? List.<Step>of() : steps) {
			if (!step.isWebhook()) {
				continue;
			}
			// a few batches per step and pass, so that the other journeys get their turn
			for (int batch = 0; batch < BATCHES_PER_PASS; batch++) {
				Integer called = this.transactions.execute(status -> this.deliveries.call(due, step.id()));
				if (called == null || called == 0) {
					break;
				}
				work += called;
				if (called < this.properties.batchSize()) {
					break;
				}
			}
		}
		return work;
	}

	/** None moved when another instance is moving the journey's enrollments. */
	record Moves(boolean journeyRuns, int moved) {
	}

	private Moves advance(DueJourney due) {
		Optional<List<Step>> running = this.repository.lockJourney(due.companyId(), due.journeyId())
			.flatMap(JourneyRow::runningSteps);
		if (running.isEmpty()) {
			return new Moves(false, 0);
		}
		List<Step> steps = running.get();
		if (!this.repository.tryMoveLock(due.journeyId())) {
			return new Moves(true, 0);
		}
		Instant now = this.clock.instant();
		// the steps entered and their due time, logged once each after all moves: two
		// moves into one step (a wait for an event's two ways out, say) would log the
		// first move's rows twice
		Map<String, Instant> entered = new LinkedHashMap<>();
		int moved = moveOn(due, null, null, Step.after(steps, -1), now, entered);
		for (int i = 0; i < steps.size(); i++) {
			Step step = steps.get(i);
			if (step.isWait()) {
				moved += moveOn(due, step, null, Step.after(steps, i), now, entered);
			}
			else if (step.isWaitForEvent()) {
				moved += moveOn(due, step, true, Step.after(steps, i), now, entered);
				this.repository.logTimeouts(due.companyId(), due.journeyId(), step.id(), now);
				moved += moveOn(due, step, false, Step.afterTimeout(steps, i), now, entered);
			}
		}
		entered.forEach(
				(step, nextDue) -> this.repository.logEntered(due.companyId(), due.journeyId(), step, now, nextDue));
		return new Moves(true, moved);
	}

	/**
	 * {@code from} null: enrollments not started; {@code waited}: see
	 * {@link RunnerRepository#advance}; {@code next} empty: they complete.
	 */
	private int moveOn(DueJourney due, @Nullable Step from, @Nullable Boolean waited, Optional<Step> next, Instant now,
			Map<String, Instant> entered) {
		String type = from == null ? "start" : from.type();
		String fromId = from == null ? null : from.id();
		long start = System.nanoTime();
		if (next.isEmpty()) {
			int completed = this.repository.complete(due.companyId(), due.journeyId(), fromId, waited, now, now);
			this.metrics.steps(type, "completed", completed);
			logLarge(due, fromId, "completion", completed, start);
			return completed;
		}
		Step to = next.get();
		Instant nextDue = now.plus(to.delay());
		int moved = this.repository.advance(due.companyId(), due.journeyId(), fromId, waited, to.id(), nextDue, now,
				now);
		if (moved > 0) {
			entered.put(to.id(), nextDue);
		}
		this.metrics.steps(type, "advanced", moved);
		logLarge(due, fromId, to.id(), moved, start);
		return moved;
	}

	/** bench/runner.sh reads this line. */
	private static void logLarge(DueJourney due, @Nullable String from, String to, int moved, long startNanos) {
		if (moved >= LARGE_MOVE) {
			log.info("moved {} enrollments of journey {} from {} to {} in {} ms", moved, due.journeyId(),
					from == null ? "the start" : from, to, (System.nanoTime() - startNanos) / 1_000_000);
		}
	}

}
