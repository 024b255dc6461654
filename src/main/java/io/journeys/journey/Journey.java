package io.journeys.journey;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.validation.InvalidParameters;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;

@Entity
@Table(name = "journeys")
@IdClass(TenantKey.class)
class Journey {

	@Id
	private UUID companyId;

	@Id
	private UUID id;

	private String name;

	private JourneyState state;

	private Instant createdAt;

	private Instant updatedAt;

	private @Nullable String steps;

	private @Nullable String webhookSecret;

	private @Nullable String previousWebhookSecret;

	private @Nullable Instant previousSecretUntil;

	private @Nullable String trigger;

	private @Nullable String goal;

	private @Nullable String timeZone;

	private String[] listensTo = {};

	protected Journey() {
	}

	Journey(UUID companyId, String name, Instant now) {
		this.companyId = companyId;
		this.id = UUID.randomUUID();
		this.name = name;
		this.state = JourneyState.DRAFT;
		this.createdAt = now;
		this.updatedAt = now;
	}

	void rename(String name, Instant now) {
		if (!name.equals(this.name)) {
			this.name = name;
			this.updatedAt = now;
		}
	}

	void changeState(JourneyState target, Instant now) {
		if (target == this.state) {
			return;
		}
		if (!this.state.canChangeTo(target)) {
			throw InvalidParameters.of("state", "cannot change from " + this.state.value() + " to " + target.value());
		}
		this.state = target;
		this.updatedAt = now;
	}

	UUID companyId() {
		return this.companyId;
	}

	UUID id() {
		return this.id;
	}

	JourneyState state() {
		return this.state;
	}

	@Nullable List<Step> steps() {
		return Steps.read(this.steps);
	}

	/** Only a journey in {@code draft} or {@code off} may change its steps. */
	@Nullable List<Step> changeSteps(List<Step> steps, Instant now) {
		if (this.state != JourneyState.DRAFT && this.state != JourneyState.OFF) {
			throw InvalidParameters.of("steps", "cannot change while the journey is " + this.state.value());
		}
		List<Step> before = steps();
		this.steps = Steps.write(steps);
		this.updatedAt = now;
		listen();
		return before;
	}

	/**
	 * {@code trigger}, {@code goal} and {@code time_zone}, in any state but archived:
	 * null leaves one as it is, empty clears it.
	 */
	void changeEvents(@Nullable Optional<EventRule> trigger, @Nullable Optional<EventRule> goal,
			@Nullable Optional<ZoneId> timeZone, Instant now) {
		if (this.state == JourneyState.ARCHIVED) {
			String field = trigger != null ? "trigger" : goal != null ? "goal" : "time_zone";
			throw InvalidParameters.of(field, "cannot change while the journey is archived");
		}
		if (trigger != null) {
			this.trigger = trigger.map(EventRule::write).orElse(null);
		}
		if (goal != null) {
			this.goal = goal.map(EventRule::write).orElse(null);
		}
		if (timeZone != null) {
			this.timeZone = timeZone.map(ZoneId::getId).orElse(null);
		}
		this.updatedAt = now;
		listen();
	}

	private void listen() {
		Set<String> names = new TreeSet<>();
		Optional.ofNullable(EventRule.read(this.trigger)).ifPresent(rule -> names.add(rule.eventName()));
		Optional.ofNullable(EventRule.read(this.goal)).ifPresent(rule -> names.add(rule.eventName()));
		List<Step> steps = steps();
		if (steps != null) {
			steps.stream().filter(Step::isWaitForEvent).forEach(step -> names.add(step.eventName()));
		}
		this.listensTo = names.toArray(String[]::new);
	}

	boolean hasWebhookSecret() {
		return this.webhookSecret != null;
	}

	void storeWebhookSecret(String stored) {
		this.webhookSecret = stored;
	}

	void rotateWebhookSecret(String stored, Instant until, Instant now) {
		if (this.webhookSecret == null) {
			throw InvalidParameters.of("steps", "the journey has no steps, and so no webhook secret to rotate");
		}
		this.previousWebhookSecret = this.webhookSecret;
		this.previousSecretUntil = until;
		this.webhookSecret = stored;
		this.updatedAt = now;
	}

	boolean hasGoal() {
		return this.goal != null;
	}

	@Nullable EventRule goal() {
		return EventRule.read(this.goal);
	}

	/** Null: UTC. */
	@Nullable String timeZone() {
		return this.timeZone;
	}

	JourneyView view() {
		return view(null);
	}

	JourneyView view(@Nullable String shownSecret) {
		return new JourneyView("journey", this.id, this.name, this.state.value(), this.createdAt, this.updatedAt,
				steps(), EventRule.read(this.trigger), EventRule.read(this.goal), this.timeZone, shownSecret, null);
	}

}
