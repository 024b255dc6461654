package io.journeys.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.journeys.condition.Condition;
import io.journeys.condition.Condition.Subject;
import io.journeys.condition.ConditionSql;
import io.journeys.condition.ConditionSql.Fragment;
import io.journeys.condition.ConditionSql.Scope;
import io.journeys.condition.Conditions;
import io.journeys.destination.Destinations;
import io.journeys.destination.Gate;
import io.journeys.journey.Decisions;
import io.journeys.journey.LocalTimes;
import io.journeys.journey.Shares;
import io.journeys.journey.Step;
import io.journeys.runner.RunnerRepository.Filter;
import io.journeys.runner.WaitUntilSchedule.Unscheduled;
import io.journeys.runner.WebhookDeliveries.Batch;
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

	/**
	 * How long a pass keeps starting batches at the webhook steps, shared by the journeys
	 * with due work, so that each gets its turn and a pass stays near a second. Time
	 * rather than a count of batches: the search that starts each pass counts every due
	 * enrollment, and at 10 batches a pass it was a quarter of the runner's time with
	 * 100,000 due (bench/results/2026-12-07-runner-r1.md).
	 */
	private static final Duration CALL_TIME_PER_PASS = Duration.ofSeconds(1);

	private final RunnerRepository repository;

	private final WaitUntilSchedule waitUntil;

	private final DueWork dueWork;

	private final TransactionTemplate transactions;

	private final WebhookDeliveries deliveries;

	private final RunnerMetrics metrics;

	private final RunnerProperties properties;

	private final Clock clock;

	private final Destinations destinations;

	private final AtomicLong due = new AtomicLong();

	private final AtomicLong lagMillis = new AtomicLong();

	private volatile boolean heldBack;

	StepRunner(DueWork dueWork, RunnerRepository repository, WaitUntilSchedule waitUntil,
			TransactionTemplate transactions, WebhookDeliveries deliveries, RunnerMetrics metrics,
			RunnerProperties properties, Destinations destinations, Clock clock, MeterRegistry registry) {
		this.destinations = destinations;
		this.dueWork = dueWork;
		this.repository = repository;
		this.waitUntil = waitUntil;
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

	/** None moved when another instance is moving the journey's enrollments. */
	record Moves(boolean journeyRuns, int moved) {
	}

	private Moves advance(DueJourney due) {
		Optional<JourneyRow> journey = this.repository.lockJourney(due.companyId(), due.journeyId());
		Optional<List<Step>> running = journey.flatMap(JourneyRow::runningSteps);
		if (running.isEmpty()) {
			return new Moves(false, 0);
		}
		List<Step> steps = running.get();
		if (!this.repository.tryMoveLock(due.journeyId())) {
			return new Moves(true, 0);
		}
		Instant now = this.clock.instant();
		String journeyZone = journey.get().timeZone();
		int moved = moveOn(due, null, Filter.ALL, null, Step.after(steps, -1), now);
		for (int i = 0; i < steps.size(); i++) {
			Step step = steps.get(i);
			if (step.isWait()) {
				moved += moveOn(due, step, Filter.ALL, null, Step.after(steps, i), now);
			}
			else if (step.isWaitForEvent()) {
				moved += moveOn(due, step, Filter.waited(true), null, Step.after(steps, i), now);
				this.repository.logTimeouts(due.companyId(), due.journeyId(), step.id(), now);
				moved += moveOn(due, step, Filter.waited(false), null, Step.afterTimeout(steps, i), now);
			}
			else if (step.isWaitUntil()) {
				schedule(due, step, journeyZone, now);
				moved += moveOn(due, step, Filter.SCHEDULED, null, Step.after(steps, i), now);
			}
			else if (step.isBranch()) {
				moved += branch(due, steps, i, now);
			}
			else if (step.isSplit()) {
				List<Step.Path> paths = step.paths();
				for (int path = 0; path < paths.size(); path++) {
					Filter share = Filter.share(Shares.buckets(paths, path), Shares.total(paths));
					moved += moveOn(due, step, share, Decisions.path(path),
							Step.along(steps, i, paths.get(path).next()), now);
				}
			}
		}
		return new Moves(true, moved);
	}

	/**
	 * One statement per way: case i takes the due enrollments at the step whose contact
	 * case i holds for and no earlier case does, {@code otherwise} those no case holds
	 * for. The ways exclude each other, so an enrollment that reaches the step between
	 * two of the statements (a delivery committing meanwhile) still takes its first case,
	 * now or at the next pass.
	 */
	private int branch(DueJourney due, List<Step> steps, int at, Instant now) {
		Step step = steps.get(at);
		Scope scope = new Scope("c.attributes", ":company", "e.contact_id", ":now");
		List<Condition> earlier = new ArrayList<>();
		int moved = 0;
		for (int i = 0; i <= step.cases().size(); i++) {
			boolean otherwise = i == step.cases().size();
			Condition taken = otherwise ? null : Conditions.read(step.cases().get(i).when(), Subject.ATTRIBUTE);
			Condition first = earlier.isEmpty() ? taken : new Condition.Not(new Condition.Any(List.copyOf(earlier)));
			if (taken != null && !earlier.isEmpty()) {
				first = new Condition.All(List.of(taken, first));
			}
			Fragment when = first == null ? null : ConditionSql.of(first, scope, "w" + i + "_");
			String next = otherwise ? step.otherwise() : step.cases().get(i).next();
			moved += moveOn(due, step, Filter.when(when), otherwise ? Decisions.OTHERWISE : Decisions.branchCase(i),
					Step.along(steps, at, next), now);
			if (taken != null) {
				earlier.add(taken);
			}
		}
		return moved;
	}

	/** Gives the enrollments that just entered a {@code wait_until} their due time. */
	private void schedule(DueJourney due, Step step, String journeyZone, Instant now) {
		long start = System.nanoTime();
		String stepZone = Step.CONTACT_ZONE.equals(step.timeZone()) ? null : step.timeZone();
		List<Unscheduled> waiting = this.waitUntil.unscheduled(due.companyId(), due.journeyId(), step.id(), stepZone,
				journeyZone, now);
		if (waiting.isEmpty()) {
			return;
		}
		LocalTimes.Rule rule = LocalTimes.Rule.of(step);
		Map<Unscheduled, Instant> dues = new LinkedHashMap<>();
		waiting.forEach(entered -> dues.put(entered, rule.next(LocalTimes.zoneOf(entered.zone()), entered.started())));
		int scheduled = this.waitUntil.schedule(due.companyId(), due.journeyId(), step.id(), stepZone, journeyZone,
				dues, rule.spread(), now);
		if (scheduled >= LARGE_MOVE) {
			// bench/decisions.sh reads this line
			log.info("scheduled {} enrollments of journey {} at {} over {} zones and entry times in {} ms", scheduled,
					due.journeyId(), step.id(), dues.size(), (System.nanoTime() - start) / 1_000_000);
		}
	}

	/**
	 * {@code from} null: enrollments not started; {@code way} names a decision's way;
	 * {@code next} empty: they complete.
	 */
	private int moveOn(DueJourney due, @Nullable Step from, Filter filter, @Nullable String way, Optional<Step> next,
			Instant now) {
		String type = from == null ? "start" : from.type();
		String fromId = from == null ? null : from.id();
		long start = System.nanoTime();
		Step to = next.orElse(null);
		Instant nextDue = to == null ? now : now.plus(to.delay());
		int moved = this.repository.move(due.companyId(), due.journeyId(), fromId, filter, to == null ? null : to.id(),
				way, nextDue, now, now);
		this.metrics.steps(type, to == null ? "completed" : "advanced", moved);
		logLarge(due, fromId, to == null ? "completion" : to.id(), moved, start);
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
