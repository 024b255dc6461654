package io.journeys.journey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.journeys.journey.Decisions.Way;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The path a contact would take through a journey if it entered at a given time, with its
 * attributes and past events of now and no further event: the steps in the order it
 * enters them, and how the path {@code ends} ({@code completed}, or {@code exited} when a
 * past event reaches the goal) at {@code endsAt}.
 */
record Preview(String object, PreviewContact contact, List<PreviewStep> steps, String ends, Instant endsAt) {

	static final String COMPLETED = "completed";

	static final String EXITED = "exited";

	/** The contact as the contact API shows it, with its attributes and time zone. */
	record PreviewContact(String object, UUID id, String emailAddress, @Nullable String firstName,
			@Nullable String lastName, String status, JsonNode attributes, @Nullable String timeZone, Instant createdAt,
			Instant updatedAt) {

		boolean active() {
			return "active".equals(this.status);
		}

	}

	/**
	 * A step on the path: entered at {@code entersAt}; {@code localTime} is that instant
	 * in the contact's zone (else the journey's, else UTC). A wait, a wait until and a
	 * wait for an event (which times out, no further event coming) are left at
	 * {@code dueAt}, shown in {@code dueLocalTime} in the zone the step waits in.
	 * {@code way}: where a branch, a split or a timeout sent the contact.
	 */
	record PreviewStep(String stepId, String type, Instant entersAt, String localTime,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant dueAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String dueLocalTime,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Way way) {

	}

}
