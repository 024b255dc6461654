package io.journeys.enrollment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.journeys.journey.Decisions.Way;
import org.jspecify.annotations.Nullable;

final class EnrollmentResponses {

	private EnrollmentResponses() {
	}

	record CompleteResult(int completedCount, NotCompleted notCompleted) {
	}

	record NotCompleted(List<String> notEnrolled) {
	}

	record UnenrollResult(int unenrolledCount, NotUnenrolled notUnenrolled) {
	}

	record NotUnenrolled(List<String> notFound, List<String> notEnrolled) {
	}

	record ImportResult(int importedCount, NotImported notImported) {
	}

	record NotImported(List<String> notFound, List<String> alreadyEnrolled) {
	}

	record RetryResult(int retried) {
	}

	/** Enrollments the runner never touched show exactly the fields of management.md. */
	record EnrollmentView(String object, UUID id, UUID journeyId, UUID contactId, String emailAddress, String status,
			String source, @Nullable UUID listId, Instant enrolledAt, @Nullable Instant completedAt,
			@Nullable Instant exitedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String stepId,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant stepStartedAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant dueAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer attempts,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant lastAttemptAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer lastStatus,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String lastError,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String exitReason,
			@JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue @Nullable String triggerEvent) {
	}

	/**
	 * {@code event}: the JSON of the event behind an {@code event} or {@code goal} row.
	 */
	record Event(Instant at, String stepId, String kind, @Nullable Integer status, @Nullable String error,
			@Nullable String event, @Nullable String way, @Nullable String nextStep) {
	}

	/**
	 * Why a passage ended other than by its step's own end: {@code event} (its wait got
	 * the event), {@code timeout}, or {@code goal_reached}.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record EndedBy(String cause, @JsonRawValue @Nullable String event) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Call(Instant at, @Nullable Integer status, @Nullable String error) {
	}

	record Passage(String stepId, Instant startedAt, @Nullable Instant endedAt, int attempts,
			@Nullable Integer lastStatus, @Nullable String lastError, List<Call> calls,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable EndedBy endedBy,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Way way) {
	}

	/** The contact as webhook payloads show it; {@code attributes}: its JSON object. */
	record EnrollmentContact(UUID id, String emailAddress, @Nullable String firstName, @Nullable String lastName,
			@JsonRawValue String attributes, @Nullable String timeZone) {
	}

	/**
	 * {@code exitEvent}: the goal's event, when one ended the enrollment;
	 * {@code dueLocalTime}: at a {@code wait_until}, its due time in the zone it waits
	 * in.
	 */
	record EnrollmentDetail(@JsonUnwrapped EnrollmentView enrollment, EnrollmentContact contact, List<Passage> timeline,
			@JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue @Nullable String exitEvent,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String dueLocalTime,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String dueTimeZone) {
	}

}
