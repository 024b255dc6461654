package io.journeys.enrollment;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

/** The bodies the enrollment endpoints answer with. */
final class EnrollmentResponses {

	private EnrollmentResponses() {
	}

	/**
	 * Emails in the order the answers list them, that of PostgreSQL's {@code "C"}
	 * collation: by UTF-8 bytes, which is by code point ({@link String#compareTo} orders
	 * UTF-16 units, which puts characters beyond U+FFFF before U+E000-U+FFFF), each once.
	 */
	static List<String> inByteOrder(Collection<String> emails) {
		return emails.stream().distinct().sorted(EnrollmentResponses::compareCodePoints).toList();
	}

	private static int compareCodePoints(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			int a = left.codePointAt(i);
			int b = right.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Integer.compare(left.length() - i, right.length() - j);
	}

	record EnrollResult(int enrolledCount, NotEnrolled notEnrolled) {
	}

	record NotEnrolled(List<String> notFound, List<String> alreadyEnrolled, List<String> recentlyCompleted) {
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

	/**
	 * An enrollment as listed. In a journey with steps it also shows where it stands: its
	 * step, when that is due, the calls the step made, the last one's answer, and why it
	 * exited when the runner made it; these are absent for enrollments the runner never
	 * touched, which show exactly the fields of management.md.
	 */
	record EnrollmentView(String object, UUID id, UUID journeyId, UUID contactId, String emailAddress, String status,
			String source, @Nullable UUID listId, Instant enrolledAt, @Nullable Instant completedAt,
			@Nullable Instant exitedAt, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String stepId,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant stepStartedAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant dueAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer attempts,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant lastAttemptAt,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Integer lastStatus,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String lastError,
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String exitReason) {
	}

	/** A record of the runner: a step entered, or a webhook call made. */
	record Event(Instant at, String stepId, String kind, @Nullable Integer status, @Nullable String error) {
	}

	/** One webhook call of a step: when, and what it came to. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Call(Instant at, @Nullable Integer status, @Nullable String error) {
	}

	/**
	 * One step an enrollment went through: when it entered and left it, and the calls it
	 * made there.
	 */
	record Passage(String stepId, Instant startedAt, @Nullable Instant endedAt, int attempts,
			@Nullable Integer lastStatus, @Nullable String lastError, List<Call> calls) {
	}

	/** An enrollment with its timeline. */
	record EnrollmentDetail(@JsonUnwrapped EnrollmentView enrollment, List<Passage> timeline) {
	}

}
