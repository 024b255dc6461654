package io.journeys.runner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.journeys.condition.Condition;
import io.journeys.condition.Condition.Subject;
import io.journeys.condition.ConditionSql;
import io.journeys.condition.ConditionSql.Fragment;
import io.journeys.condition.ConditionSql.Scope;
import io.journeys.condition.Conditions;
import io.journeys.journey.Decisions;
import io.journeys.journey.LocalTimes;
import io.journeys.journey.Shares;
import io.journeys.journey.Step;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.runner.RunnerRepository.Filter;
import io.journeys.runner.RunnerRepository.JourneyRow;
import io.journeys.runner.WaitUntilSchedule.Unscheduled;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The moves of a pass that call nobody: enrollments not started, at the end of a wait, at
 * a {@code wait_until} or {@code wait_for_event}, and through branches and splits, one
 * statement per position and way. {@link StepRunner} makes the calls.
 */
@Component
class JourneyMoves {

	private static final Logger log = LoggerFactory.getLogger(JourneyMoves.class);

	private static final int LARGE_MOVE = 1000;

	private final RunnerRepository repository;

	private final WaitUntilSchedule waitUntil;

	private final RunnerMetrics metrics;

	private final Clock clock;

	JourneyMoves(RunnerRepository repository, WaitUntilSchedule waitUntil, RunnerMetrics metrics, Clock clock) {
		this.repository = repository;
		this.waitUntil = waitUntil;
		this.metrics = metrics;
		this.clock = clock;
	}

	/** None moved when another instance is moving the journey's enrollments. */
	record Moves(boolean journeyRuns, int moved) {
	}

	/**
	 * In the caller's transaction, holding the journey {@code FOR KEY SHARE}: unless
	 * another instance is moving the journey's enrollments, each position's due
	 * enrollments move on.
	 */
	Moves advance(DueJourney due) {
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
