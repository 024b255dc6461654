package io.journeys.lifecycle;

import io.journeys.destination.DestinationChange;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A destination's pause or resume, told to the subscriptions of its type in the
 * transaction that made it: by the runner's breaker and probe, or by a {@code PATCH}.
 */
@Component
class DestinationEvents {

	private final LifecycleOutbox outbox;

	DestinationEvents(LifecycleOutbox outbox) {
		this.outbox = outbox;
	}

	@EventListener
	void changed(DestinationChange change) {
		String reason = change.pausedReason();
		if (change.paused() && reason != null) {
			this.outbox.destinationPaused(change.companyId(), change.destinationId(), change.origin(), reason,
					change.at());
		}
		else {
			this.outbox.destinationResumed(change.companyId(), change.destinationId(), change.origin(), change.at());
		}
	}

}
