package io.journeys.journey;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.web.InvalidParameters;
import io.journeys.persistence.TenantKey;

/**
 * A journey; its state changes only through {@link #changeState}, which refuses illegal
 * moves.
 */
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

	/** Moves to {@code target}; asking for the current state changes nothing. */
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

	JourneyView view() {
		return new JourneyView("journey", this.id, this.name, this.state.value(), this.createdAt, this.updatedAt);
	}

}
