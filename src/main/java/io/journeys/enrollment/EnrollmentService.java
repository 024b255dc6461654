package io.journeys.enrollment;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Validator;

import io.journeys.auth.ApiCaller;
import io.journeys.contact.Emails;
import io.journeys.enrollment.EnrollPool.Ending;
import io.journeys.enrollment.EnrollStatements.Audit;
import io.journeys.enrollment.EnrollStatements.Enroll;
import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.journeys.enrollment.EnrollStatements.LockedEnroll;
import io.journeys.journey.JourneyNotFound;
import io.journeys.journey.JourneyState;
import io.journeys.list.ListDirectory;
import io.journeys.persistence.Ids;
import io.journeys.validation.AfterLookup;
import io.journeys.validation.ValidationErrors;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * The contract's order: journey (404), its state, the limits, the {@code base} rule, the
 * lists, then the insert. The lock comes first so that the insert's snapshot sees any
 * state change, completion or import it waited for.
 * <p>
 * A dry run is the same path, statements and locks, in a transaction rolled back before
 * it answers: its answer is the one a real enroll would have given at that moment, and
 * nothing it wrote is kept.
 */
@Service
class EnrollmentService {

	private final EnrollPool byEmail;

	private final EnrollPool byList;

	private final ListDirectory lists;

	private final Validator validator;

	private final EnrollmentProperties properties;

	private final Clock clock;

	EnrollmentService(@Qualifier("byEmail") EnrollPool byEmail, @Qualifier("byList") EnrollPool byList,
			ListDirectory lists, Validator validator, EnrollmentProperties properties, Clock clock) {
		this.byEmail = byEmail;
		this.byList = byList;
		this.lists = lists;
		this.validator = validator;
		this.properties = properties;
		this.clock = clock;
	}

	EnrollResult enroll(ApiCaller caller, String journeyId, ContactsAndLists targets) {
		return enroll(caller, journeyId, targets, Ending.COMMIT);
	}

	/** What {@link #enroll} would answer now, errors included; nothing is kept. */
	EnrollResult dryRun(ApiCaller caller, String journeyId, ContactsAndLists targets) {
		return enroll(caller, journeyId, targets, Ending.ROLLBACK);
	}

	/**
	 * When the emails are within the limits, only the journey's errors are left, so the
	 * lock and the insert go in one round trip and those errors are answered after.
	 */
	private EnrollResult enroll(ApiCaller caller, String journeyId, ContactsAndLists targets, Ending ending) {
		UUID journey = Ids.parse(journeyId).orElseThrow(JourneyNotFound::new);
		List<String> emails = targets.listEmailAddresses().isEmpty()
				? Emails.normalizeAll(targets.contactEmailAddresses()) : List.of();
		if (!emails.isEmpty() && this.validator.validate(targets, AfterLookup.class).isEmpty()) {
			LockedEnroll done = this.byEmail.run(ending,
					statements -> statements.lockAndEnroll(enroll(caller, journey, emails, List.of())));
			requireOn(done.state().orElseThrow(JourneyNotFound::new));
			return done.result();
		}
		EnrollPool pool = targets.listEmailAddresses().isEmpty() ? this.byEmail : this.byList;
		return pool.inTransaction(ending, statements -> {
			requireOn(statements.lockJourney(caller.companyId(), journey).orElseThrow(JourneyNotFound::new));
			ValidationErrors.check(this.validator.validate(targets, AfterLookup.class));
			ContactsAndLists named = targets.normalized();
			List<UUID> listIds = named.listEmailAddresses().isEmpty() ? List.of()
					: this.lists.resolve(caller.companyId(), named.listEmailAddresses());
			return statements.enroll(enroll(caller, journey, named.contactEmailAddresses(), listIds));
		});
	}

	private static void requireOn(JourneyState state) {
		if (state != JourneyState.ON) {
			throw new JourneyNotOn(state);
		}
	}

	private Enroll enroll(ApiCaller caller, UUID journey, List<String> emails, List<UUID> listIds) {
		Instant now = this.clock.instant();
		return new Enroll(caller.companyId(), journey, emails, listIds, now, now.minus(this.properties.reentryWindow()),
				Audit.of(caller));
	}

}
