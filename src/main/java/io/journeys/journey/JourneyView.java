package io.journeys.journey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A journey as the API shows it. A journey without steps shows exactly the fields of
 * management.md; one with steps adds {@code steps}, and its signing secret in the answer
 * that made it ({@code webhook_secret}).
 */
public record JourneyView(String object, UUID id, String name, String state, Instant createdAt, Instant updatedAt,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<Step> steps,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String webhookSecret) {

}
