package io.journeys.event;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.journeys.contact.Emails;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** One event of a {@code POST /v1/events} batch, as sent. */
record NewEvent(@Size(min = 1, max = NewEvent.MAX_TEXT, message = "{journeys.length}") @Nullable String id,
		@NotBlank @Size(max = NewEvent.MAX_TEXT) String name,
		@NotBlank @Size(max = Emails.MAX_SENT) String contactEmailAddress, @Nullable ObjectNode properties,
		@Nullable Instant occurredAt) {

	static final int MAX_TEXT = 255;

}
