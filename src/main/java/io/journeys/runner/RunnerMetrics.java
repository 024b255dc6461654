package io.journeys.runner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

@Component
class RunnerMetrics {

	private final MeterRegistry registry;

	private final Timer webhookDuration;

	RunnerMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.webhookDuration = Timer.builder("journeys.webhook.duration")
			.description("Webhook calls, from request to answer")
			.publishPercentileHistogram()
			.register(registry);
	}

	void steps(String type, String outcome, int n) {
		if (n > 0) {
			Counter.builder("journeys.runner.steps")
				.description("Enrollments moved by the runner, by step type and outcome")
				.tag("type", type)
				.tag("outcome", outcome)
				.register(this.registry)
				.increment(n);
		}
	}

	Timer webhookDuration() {
		return this.webhookDuration;
	}

}
