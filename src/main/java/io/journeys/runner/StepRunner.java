package io.journeys.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.journeys.destination.Destinations;
import io.journeys.destination.Gate;
import io.journeys.journey.Step;
import io.journeys.runner.WebhookDeliveries.Batch;
import io.journeys.runner.DueWork.Backlog;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.persistence.DatabaseFailures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

	/**
	 * How long a pass keeps starting batches at the webhook steps, shared by the journeys
	 * with due work, so that each gets its turn and a pass stays near a second. Time
	 * rather than a count of batches: the search that starts each pass counts every due
	 * enrollment, and at 10 batches a pass it was a quarter of the runner's time with
	 * 100,000 due (bench/results/2026-12-07-runner-r1.md).
	 */
	private static final Duration CALL_TIME_PER_PASS = Duration.ofSeconds(1);

	private final RunnerRepository repository;

	private final JourneyMoves moves;

	private final DueWork dueWork;

	private final TransactionTemplate transactions;

	private final WebhookDeliveries deliveries;

	private final RunnerProperties properties;

	private final Clock clock;

	private final Destinations destinations;

	private final AtomicLong due = new AtomicLong();

	private final AtomicLong lagMillis = new AtomicLong();

	private volatile boolean heldBack;

	StepRunner(DueWork dueWork, RunnerRepository repository, JourneyMoves moves, TransactionTemplate transactions,
			WebhookDeliveries deliveries, RunnerProperties properties, Destinations destinations, Clock clock,
			MeterRegistry registry) {
		this.destinations = destinations;
		this.dueWork = dueWork;
		this.repository = repository;
		this.moves = moves;
		this.transactions = transactions;
		this.deliveries = deliveries;
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

	/** Whether the last pass left due calls for a destination's limit. */
	boolean heldBack() {
		return this.heldBack;
	}

	int runDue() {
		this.heldBack = false;
		Instant now = this.clock.instant();
		List<Backlog> backlog = this.dueWork.find(now);
		this.due.set(backlog.stream().mapToLong(Backlog::due).sum());
		this.lagMillis.set(backlog.stream()
			.map(Backlog::oldest)
			.min(Instant::compareTo)
			.map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis()))
			.orElse(0L));
		Duration share = CALL_TIME_PER_PASS.dividedBy(Math.max(1, backlog.size()));
		int work = 0;
		for (Backlog journey : backlog) {
			try {
				work += runJourney(journey.journey(), share);
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
		return runJourney(due, CALL_TIME_PER_PASS);
	}

	/**
	 * {@code callTime}: how long each webhook step starts batches while they come back
	 * full.
	 */
	int runJourney(DueJourney due, Duration callTime) {
		JourneyMoves.Moves moves = this.transactions.execute(status -> this.moves.advance(due));
		if (moves == null || !moves.journeyRuns()) {
			return 0;
		}
		int work = moves.moved();
		List<Step> steps = this.transactions
			.execute(status -> this.repository.lockJourney(due.companyId(), due.journeyId())
				.map(row -> Step.listOf(row.steps()))
				.orElse(null));
		for (Step step : steps == null ? List.<Step>of() : steps) {
			if (step.isWebhook()) {
				work += callStep(due, step, callTime);
			}
		}
		return work;
	}

	/**
	 * Batches for up to {@code callTime}, while they come back full and not all failed (a
	 * failing destination is judged after one batch, not a second of them); a probe is
	 * one batch. The destination is asked once per pass, and told the pass's calls once.
	 */
	private int callStep(DueJourney due, Step step, Duration callTime) {
		Gate gate = this.transactions
			.execute(status -> this.destinations.gate(due.companyId(), step.url(), this.clock.instant()));
		if (gate == null || gate.claimLimit(this.properties.batchSize()) == 0) {
			return 0;
		}
		Batch pass = batches(due, step, gate, callTime);
		if (pass.heldBack()) {
			this.heldBack = true;
		}
		this.transactions.execute(status -> this.destinations.recordCalls(due.companyId(), gate, pass.called(),
				pass.failed(), this.clock.instant()));
		return pass.called();
	}

	private Batch batches(DueJourney due, Step step, Gate gate, Duration callTime) {
		long until = System.nanoTime() + callTime.toNanos();
		Batch total = Batch.NONE;
		do {
			Batch called = this.transactions.execute(status -> this.deliveries.call(due, step.id(), gate));
			if (called == null) {
				break;
			}
			total = total.plus(called);
			if (gate.probe() || called.called() < gate.claimLimit(this.properties.batchSize())
					|| called.failed() == called.called()) {
				break;
			}
		}
		while (System.nanoTime() < until);
		return total;
	}

}
