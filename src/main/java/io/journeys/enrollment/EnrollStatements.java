package io.journeys.enrollment;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.enrollment.EnrollmentResponses.EnrollResult;
import io.journeys.enrollment.EnrollmentResponses.NotEnrolled;
import io.journeys.journey.JourneyState;
import org.jspecify.annotations.Nullable;

/**
 * The statements of an enroll, one set per engine, chosen once at start
 * ({@link EnrollPoolConfiguration}): {@link PlainEnrollStatements} on one PostgreSQL
 * server, where one statement inserts and reports; {@link RoutedEnrollStatements} on
 * Citus, where an insert inside a CTE cannot be routed to the company's shard. Each
 * statement is one whatever the number of contacts: emails and list ids travel as arrays
 * bound to one parameter. Every enroll first locks the journey ({@link #lockJourney}) in
 * the transaction of its insert.
 */
interface EnrollStatements {

	/**
	 * Locks the journey row for an enroll and returns its state, empty when the company
	 * has no such journey. State changes, complete and import hold the row
	 * {@code FOR UPDATE}, so this {@code FOR KEY SHARE} waits for them, and the insert
	 * that follows takes its snapshot after they committed. It also takes the company's
	 * contact-deletes lock shared: a contact delete (which takes it exclusively) running
	 * now commits before that snapshot, and one that comes later waits for the enroll and
	 * then deletes what it inserted for the contact.
	 */
	Optional<JourneyState> lockJourney(UUID companyId, UUID journeyId);

	/** Inserts and reports, after {@link #lockJourney} found the journey on. */
	EnrollResult enroll(Enroll enroll);

	/**
	 * The lock and, when the journey is on, the enroll of contacts named by email, for
	 * emails normalized and within the limits: nothing else can fail once the journey is
	 * known. Runs a transaction of its own.
	 */
	LockedEnroll lockAndEnroll(Enroll enroll);

	/** An enroll's parameters, with emails normalized and lists resolved. */
	record Enroll(UUID companyId, UUID journeyId, List<String> emails, List<UUID> listIds, Instant now,
			Instant reentryCutoff, Audit audit) {

		String[] emailArray() {
			return this.emails.toArray(String[]::new);
		}

		String[] listArray() {
			return uuids(this.listIds);
		}

	}

	/** What {@link #lockAndEnroll} found: the journey's state, and what was done. */
	record LockedEnroll(Optional<JourneyState> state, EnrollResult result) {

		static LockedEnroll notRun(Optional<JourneyState> state) {
			return new LockedEnroll(state, new EnrollResult(0, new NotEnrolled(List.of(), List.of(), List.of())));
		}

	}

	/** Ids as a text array parameter ({@code cast(:lists as uuid[])}). */
	static String[] uuids(List<UUID> ids) {
		return ids.stream().map(UUID::toString).toArray(String[]::new);
	}

	/** Reads the outcome rows {@code (outcome, contacts, emails)} of an enroll report. */
	static EnrollResult read(ResultSet rs) throws SQLException {
		int enrolled = 0;
		List<String> notFound = List.of();
		List<String> alreadyEnrolled = List.of();
		List<String> recentlyCompleted = List.of();
		while (rs.next()) {
			switch (rs.getString("outcome")) {
				case "enrolled" -> enrolled = rs.getInt("contacts");
				case "not_found" -> notFound = strings(rs.getArray("emails"));
				case "already_enrolled" -> alreadyEnrolled = strings(rs.getArray("emails"));
				case "recently_completed" -> recentlyCompleted = strings(rs.getArray("emails"));
				default -> throw new IllegalStateException("unknown outcome " + rs.getString("outcome"));
			}
		}
		return new EnrollResult(enrolled, new NotEnrolled(notFound, alreadyEnrolled, recentlyCompleted));
	}

	private static List<String> strings(@Nullable Array array) throws SQLException {
		return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
	}

}
