package io.journeys.journey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Without steps, trigger, goal or time zone, exactly the fields of management.md;
 * {@code webhook_secret} only in the answer that made the secret, {@code stats} only when
 * read alone.
 */
public record JourneyView(String object, UUID id, String name, String state, Instant createdAt, Instant updatedAt,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<Step> steps,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable EventRule trigger,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable EventRule goal,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String timeZone,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String webhookSecret,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable JourneyStats stats) {

	JourneyView withStats(JourneyStats stats) {
		return new JourneyView(this.object, this.id, this.name, this.state, this.createdAt, this.updatedAt, this.steps,
				this.trigger, this.goal, this.timeZone, this.webhookSecret, stats);
	}

}
