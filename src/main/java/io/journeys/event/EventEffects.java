package io.journeys.event;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.condition.Condition;
import io.journeys.condition.Facts;
import io.journeys.condition.Facts.PastEvent;
import io.journeys.enrollment.EnrollmentProperties;
import io.journeys.lifecycle.LifecycleOutbox;
import io.journeys.event.EffectRepository.Hit;
import io.journeys.event.EffectRepository.Listener;
import io.journeys.event.EffectRepository.Moved;
import io.journeys.event.EffectRepository.Pending;
import io.journeys.journey.EventRule;
import io.journeys.journey.Step;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a company's accepted events: goals, then waits, then triggers, in rounds of at
 * most one event per contact, each contact's in {@code occurred_at} order. A round's
 * effects and its events' removal from the queue commit together: a round that fails
 * leaves its events queued, and none is applied twice.
 */
@Component
public class EventEffects {

	/**
	 * What {@link #applyPending} answers when another instance holds the company's
	 * events.
	 */
	public static final int BUSY = -1;

	static final int ROUNDS_PER_CALL = 10;

	private final EffectRepository repository;

	private final TransactionTemplate transactions;

	private final EventProperties properties;

	private final EnrollmentProperties enrollments;

	private final JsonMapper json;

	private final EventMetrics metrics;

	private final LifecycleOutbox outbox;

	private final Clock clock;

	EventEffects(EffectRepository repository, TransactionTemplate transactions, EventProperties properties,
			EnrollmentProperties enrollments, JsonMapper json, EventMetrics metrics, LifecycleOutbox outbox,
			Clock clock) {
		this.repository = repository;
		this.outbox = outbox;
		this.metrics = metrics;
		this.transactions = transactions;
		this.properties = properties;
		this.enrollments = enrollments;
		this.json = json;
		this.clock = clock;
	}

	/**
	 * The events applied, or {@link #BUSY} when another instance was applying this
	 * company's and none were. At most {@link #ROUNDS_PER_CALL} rounds: a company with a
	 * long queue gives the others a turn.
	 */
	public int applyPending(UUID companyId) {
		int applied = 0;
		for (int rounds = 0; rounds < ROUNDS_PER_CALL; rounds++) {
			Integer round = this.transactions.execute(status -> round(companyId));
			if (round == null || round == 0) {
				return applied;
			}
			if (round == BUSY) {
				return applied == 0 ? BUSY : applied;
			}
			applied += round;
		}
		return applied;
	}

	/** The events one round applied. */
	private int round(UUID companyId) {
		if (!this.repository.tryApplyLock(companyId)) {
			return BUSY;
		}
		List<Pending> events = this.repository.nextPerContact(companyId, this.properties.applyBatch());
		if (events.isEmpty()) {
			return 0;
		}
		Instant now = this.clock.instant();
		List<String> names = events.stream().map(Pending::name).distinct().toList();
		// the locks an enroll takes, in its order, before any row is written
		this.repository.holdContactDeletes(companyId);
		List<Journey> journeys = this.repository.listeners(companyId, names).stream().map(Journey::of).toList();
		List<Hit> goals = new ArrayList<>();
		List<Hit> waits = new ArrayList<>();
		List<Hit> triggers = new ArrayList<>();
		History history = new History(companyId);
		for (Pending event : events) {
			JsonNode properties = this.json.readTree(event.properties());
			Facts facts = history.facts(event, properties);
			Shown shown = new Shown(event, properties);
			for (Journey journey : journeys) {
				if (journey.goal() != null && journey.goal().matches(event, facts)) {
					goals.add(shown.hit(journey.id(), null, false));
				}
				for (Rule wait : journey.waits()) {
					if (wait.matches(event, facts)) {
						waits.add(shown.hit(journey.id(), wait.stepId(), false));
					}
				}
				if (journey.on() && journey.trigger() != null && journey.trigger().matches(event, facts)) {
					triggers.add(shown.hit(journey.id(), null, true));
				}
			}
		}
		List<Moved> reached = goals.isEmpty() ? List.of() : this.repository.reachGoals(companyId, goals, now);
		if (!reached.isEmpty()) {
			this.repository.log(companyId, "goal", reached, now);
			this.outbox.ended(companyId, reached.stream().map(Moved::id).toList(), now);
		}
		List<Moved> waited = waits.isEmpty() ? List.of() : this.repository.endWaits(companyId, waits, now);
		if (!waited.isEmpty()) {
			this.repository.log(companyId, "event", waited, now);
		}
		int enrolled = 0;
		if (!triggers.isEmpty()) {
			List<UUID> entered = this.repository.trigger(companyId, triggers, now,
					now.minus(this.enrollments.reentryWindow()));
			this.outbox.entered(companyId, entered, now);
			enrolled = entered.size();
		}
		this.repository.markApplied(companyId, events);
		int counted = enrolled;
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				EventEffects.this.metrics.applied("goal_reached", reached.size());
				EventEffects.this.metrics.applied("wait_ended", waited.size());
				EventEffects.this.metrics.applied("enrolled", counted);
			}

		});
		return events.size();
	}

	/**
	 * A trigger, goal or wait for an event, its condition read once a round
	 * ({@code null}: any event of the name); {@code stepId} for a wait.
	 */
	private record Rule(String eventName, @Nullable Condition condition, @Nullable String stepId) {

		static @Nullable Rule of(@Nullable EventRule rule) {
			return rule == null ? null : new Rule(rule.eventName(), rule.condition(), null);
		}

		static Rule of(Step wait) {
			return new Rule(wait.eventName(), new EventRule(wait.eventName(), wait.where()).condition(), wait.id());
		}

		boolean matches(Pending event, Facts facts) {
			return this.eventName.equals(event.name()) && (this.condition == null || this.condition.matches(facts));
		}

	}

	/** A journey as applying events reads it. */
	private record Journey(UUID id, boolean on, @Nullable Rule trigger, @Nullable Rule goal, List<Rule> waits) {

		static Journey of(Listener row) {
			List<Step> steps = Step.listOf(row.steps());
			return new Journey(row.id(), "on".equals(row.state()), Rule.of(EventRule.read(row.trigger())),
					Rule.of(EventRule.read(row.goal())),
					steps == null ? List.of() : steps.stream().filter(Step::isWaitForEvent).map(Rule::of).toList());
		}

	}

	/**
	 * An event as the enrollments it reaches keep it, written once whatever number of
	 * journeys it reaches: {@code properties} only where the enrollment keeps the event
	 * (its trigger).
	 */
	private final class Shown {

		private final Pending event;

		private final JsonNode properties;

		private @Nullable String brief;

		private @Nullable String whole;

		Shown(Pending event, JsonNode properties) {
			this.event = event;
			this.properties = properties;
		}

		Hit hit(UUID journey, @Nullable String step, boolean withProperties) {
			String json;
			if (withProperties) {
				json = this.whole != null ? this.whole : (this.whole = write(true));
			}
			else {
				json = this.brief != null ? this.brief : (this.brief = write(false));
			}
			return new Hit(journey, step, this.event.contactId(), this.event.occurredAt(), json);
		}

		private String write(boolean withProperties) {
			ObjectNode shown = EventEffects.this.json.createObjectNode()
				.put("id", this.event.key())
				.put("name", this.event.name())
				.put("occurred_at", this.event.occurredAt().toString());
			if (withProperties) {
				shown.set("properties", this.properties);
			}
			return EventEffects.this.json.writeValueAsString(shown);
		}

	}

	/** A contact's past events, read once per name and period a condition asks about. */
	private final class History {

		private final UUID companyId;

		private final Map<String, List<PastEvent>> read = new HashMap<>();

		History(UUID companyId) {
			this.companyId = companyId;
		}

		Facts facts(Pending event, JsonNode properties) {
			return Facts.of(properties, event.occurredAt(), (name, from, to) -> this.read.computeIfAbsent(
					event.contactId() + "/" + name + "/" + from + "/" + to,
					key -> EventEffects.this.repository.history(this.companyId, event.contactId(), name, from, to)
						.stream()
						.map(past -> new PastEvent(past.name(), past.occurredAt(),
								EventEffects.this.json.readTree(past.properties())))
						.toList()));
		}

	}

}
