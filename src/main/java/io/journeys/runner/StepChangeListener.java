package io.journeys.runner;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.journeys.journey.JourneyArchived;
import io.journeys.journey.Step;
import io.journeys.journey.StepsChanged;
import io.journeys.persistence.SqlTimes;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps every active enrollment at an existing step when the steps change, in the
 * transaction that changes them (it holds the journey row, so no runner pass is in
 * flight); a removed step's enrollments move to the next kept one, as if just entered.
 */
@Component
class StepChangeListener {

	private final RunnerRepository repository;

	StepChangeListener(RunnerRepository repository) {
		this.repository = repository;
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
		Map<String, Instant> entered = new HashMap<>();
		for (int i = 0; i < before.size(); i++) {
			String removed = before.get(i).id();
			if (kept.contains(removed)) {
				continue;
			}
			Step target = null;
			for (int j = i + 1; j < before.size() && target == null; j++) {
				String id = before.get(j).id();
				target = change.after().stream().filter(step -> step.id().equals(id)).findFirst().orElse(null);
			}
			if (target == null) {
				this.repository.complete(change.companyId(), change.journeyId(), removed, null, change.now(),
						SqlTimes.LATEST);
			}
			else {
				Instant due = change.now().plus(target.delay());
				this.repository.advance(change.companyId(), change.journeyId(), removed, null, target.id(), due,
						change.now(), SqlTimes.LATEST);
				entered.put(target.id(), due);
			}
		}
		entered.forEach((step, due) -> this.repository.logEntered(change.companyId(), change.journeyId(), step,
				change.now(), due));
	}

	@EventListener
	void archived(JourneyArchived archived) {
		this.repository.exitAll(archived.companyId(), archived.journeyId(), archived.now());
	}

}
