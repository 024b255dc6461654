package io.journeys.enrollment;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.auth.ApiCaller;
import io.journeys.journey.JourneyState;
import io.journeys.web.RequestIdFilter;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two sets, chosen once at start: on one server one statement inserts and reports; on
 * Citus an insert inside a CTE cannot be routed to the company's shard.
 */
abstract class EnrollStatements {

	static final String LOCK_JOURNEY = """
			select j.state
			from journeys j,
			     pg_advisory_xact_lock_shared(hashtextextended('contact-deletes:' || cast(:company as text), 0)) as deletes
			where j.company_id = :company and j.id = :journey
			for key share of j
			""";

	protected final JdbcClient jdbc;

	EnrollStatements(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * {@code FOR KEY SHARE} waits for state changes, complete and import (which lock for
	 * update), so the insert's snapshot sees them; the contact-deletes lock, shared,
	 * keeps a contact delete either before that snapshot or after the enroll commits.
	 */
	Optional<JourneyState> lockJourney(UUID companyId, UUID journeyId) {
		return this.jdbc.sql(LOCK_JOURNEY)
			.param("company", companyId)
			.param("journey", journeyId)
			.query(String.class)
			.optional()
			.map(state -> JourneyState.of(state).orElseThrow());
	}

	/** Inserts and reports, after {@link #lockJourney} found the journey on. */
	abstract EnrollResult enroll(Enroll enroll);

	/**
	 * The lock and, when the journey is on, the enroll, for emails already checked:
	 * nothing else can fail once the journey is known.
	 */
	abstract LockedEnroll lockAndEnroll(Enroll enroll);

	/** The answer of an enroll. */
	record EnrollResult(int enrolledCount, NotEnrolled notEnrolled) {
	}

	record NotEnrolled(List<String> notFound, List<String> alreadyEnrolled, List<String> recentlyCompleted) {
	}

	/** Who did it, for the audit columns of the rows a request writes. */
	record Audit(UUID apiKeyId, @Nullable String requestId) {

		static Audit of(ApiCaller caller) {
			return new Audit(caller.apiKeyId(), RequestIdFilter.current());
		}

	}

	record Enroll(UUID companyId, UUID journeyId, List<String> emails, List<UUID> listIds, Instant now,
			Instant reentryCutoff, Audit audit) {

		String[] emailArray() {
			return this.emails.toArray(String[]::new);
		}

		String[] listArray() {
			return uuids(this.listIds);
		}

	}

	record LockedEnroll(Optional<JourneyState> state, EnrollResult result) {

		static LockedEnroll notRun(Optional<JourneyState> state) {
			return new LockedEnroll(state, new EnrollResult(0, new NotEnrolled(List.of(), List.of(), List.of())));
		}

	}

	static String[] uuids(List<UUID> ids) {
		return ids.stream().map(UUID::toString).toArray(String[]::new);
	}

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
