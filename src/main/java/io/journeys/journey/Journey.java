package io.journeys.journey;

import java.time.Instant;
import java.util.List;
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
		return before;
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

	JourneyView view() {
		return view(null);
	}

	JourneyView view(@Nullable String shownSecret) {
		return new JourneyView("journey", this.id, this.name, this.state.value(), this.createdAt, this.updatedAt,
				steps(), shownSecret, null);
	}

}
