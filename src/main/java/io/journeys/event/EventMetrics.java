package io.journeys.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

@Component
class EventMetrics {

	private final MeterRegistry registry;

	EventMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** {@code accepted}, {@code duplicate} or {@code not_found}. */
	void received(String outcome, int n) {
		count("journeys.events", "Events sent, by what became of them", "outcome", outcome, n);
	}

	/** {@code enrolled} (a trigger), {@code goal_reached} or {@code wait_ended}. */
	void applied(String effect, int n) {
		count("journeys.event.effects", "What applied events did to enrollments", "effect", effect, n);
	}

	private void count(String name, String description, String tag, String value, int n) {
		if (n > 0) {
			Counter.builder(name).description(description).tag(tag, value).register(this.registry).increment(n);
		}
	}

}
