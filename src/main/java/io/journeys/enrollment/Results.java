package io.journeys.enrollment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** The bodies the enrollment endpoints answer with. */
final class Results {

	private Results() {
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

	/** An enrollment as listed. */
	record EnrollmentView(String object, UUID id, UUID journeyId, UUID contactId, String emailAddress, String status,
			String source, @Nullable UUID listId, Instant enrolledAt, @Nullable Instant completedAt,
			@Nullable Instant exitedAt) {
	}

}
