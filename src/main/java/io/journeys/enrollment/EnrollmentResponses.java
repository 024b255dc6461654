package io.journeys.enrollment;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.jspecify.annotations.Nullable;

final class EnrollmentResponses {

	private EnrollmentResponses() {
	}

	/**
	 * PostgreSQL's {@code "C"} order, by code point: {@link String#compareTo} would put
	 * characters beyond U+FFFF before U+E000-U+FFFF.
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
			@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String exitReason) {
	}

	record Event(Instant at, String stepId, String kind, @Nullable Integer status, @Nullable String error) {
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Call(Instant at, @Nullable Integer status, @Nullable String error) {
	}

	record Passage(String stepId, Instant startedAt, @Nullable Instant endedAt, int attempts,
			@Nullable Integer lastStatus, @Nullable String lastError, List<Call> calls) {
	}

	record EnrollmentDetail(@JsonUnwrapped EnrollmentView enrollment, List<Passage> timeline) {
	}

}
