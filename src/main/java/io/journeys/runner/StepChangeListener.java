package io.journeys.runner;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.journeys.contact.TimeZonesChanged;
import io.journeys.journey.JourneyArchived;
import io.journeys.journey.Step;
import io.journeys.journey.StepsChanged;
import io.journeys.persistence.SqlTimes;
import io.journeys.runner.RunnerRepository.Filter;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps every active enrollment at an existing step when the steps change, in the
 * transaction that changes them (it holds the journey row, so no runner pass is in
 * flight); a removed step's enrollments move along the old graph to the first kept step
 * (see {@link #keptAfter}), as if just entered, or complete when there is none.
 */
@Component
class StepChangeListener {

	private final RunnerRepository repository;

	private final WaitUntilSchedule waitUntil;

	StepChangeListener(RunnerRepository repository, WaitUntilSchedule waitUntil) {
		this.repository = repository;
		this.waitUntil = waitUntil;
	}

	@EventListener
	void stepsChanged(StepsChanged change) {
		List<Step> before = change.before();
		if (before == null) {
			this.repository.start(change.companyId(), change.journeyId(), change.now());
			return;
		}
		Set<String> kept = new HashSet<>();
		change.after().forEach(step -> kept.add(step.id()));
		for (int i = 0; i < before.size(); i++) {
			String removed = before.get(i).id();
			if (kept.contains(removed)) {
				continue;
			}
			Step target = keptAfter(before, i, kept).orElse(null);
			Step to = target == null ? null
					: change.after().stream().filter(step -> step.id().equals(target.id())).findFirst().orElseThrow();
			Instant due = to == null ? change.now() : change.now().plus(to.delay());
			this.repository.move(change.companyId(), change.journeyId(), removed, Filter.ALL,
					to == null ? null : to.id(), null, due, change.now(), SqlTimes.LATEST);
		}
	}

	/**
	 * The first kept step on the removed step's default way through the old graph: its
	 * {@code next}, a branch's {@code otherwise}, a split's first path; empty when that
	 * way ends first.
	 */
	static Optional<Step> keptAfter(List<Step> before, int removed, Set<String> kept) {
		int at = removed;
		while (true) {
			Step step = before.get(at);
			List<String> ways = step.ways();
			String way = step.isBranch() ? ways.get(ways.size() - 1) : ways.get(0);
			Optional<Step> next = Step.along(before, at, way);
			if (next.isEmpty() || kept.contains(next.get().id())) {
				return next;
			}
			at = before.indexOf(next.get());
		}
	}

	@EventListener
	void timeZonesChanged(TimeZonesChanged change) {
		this.waitUntil.unschedule(change.companyId(), change.emailAddresses());
	}

	@EventListener
	void archived(JourneyArchived archived) {
		this.repository.exitAll(archived.companyId(), archived.journeyId(), archived.now());
	}

}
