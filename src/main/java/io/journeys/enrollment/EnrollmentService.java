package io.journeys.enrollment;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.journeys.auth.ApiCaller;
import io.journeys.enrollment.Results.Call;
import io.journeys.enrollment.Results.CompleteResult;
import io.journeys.enrollment.Results.EnrollResult;
import io.journeys.enrollment.Results.EnrollmentDetail;
import io.journeys.enrollment.Results.EnrollmentView;
import io.journeys.enrollment.Results.Event;
import io.journeys.enrollment.Results.ImportResult;
import io.journeys.enrollment.Results.Passage;
import io.journeys.enrollment.Results.UnenrollResult;
import io.journeys.journey.JourneyNotFound;
import io.journeys.journey.JourneyService;
import io.journeys.journey.JourneyState;
import io.journeys.journey.LockedJourney;
import io.journeys.list.ListDirectory;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.contact.Emails;
import io.journeys.web.AfterLookup;
import io.journeys.web.Ids;
import io.journeys.web.JsonRequests;
import io.journeys.web.InvalidParameters;
import io.journeys.web.PageQuery;
import io.journeys.web.ValidationErrors;
import io.journeys.web.RequestIds;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enrolls, completes, unenrolls and imports, each request in one transaction that first
 * locks the journey: enrolls share the lock with each other; state changes, completions
 * and imports exclude running enrolls, so no enrollment is created after a journey is
 * switched off and no completion slips past the re-entry check.
 */
@Service
class EnrollmentService {

	private final EnrollmentRepository enrollments;

	private final JourneyService journeys;

	private final ListDirectory lists;

	private final EnrollmentProperties properties;

	private final Clock clock;

	private final JsonRequests requests;

	private static final int MAX_ATTEMPTS = 3;

	private final EnrollmentMetrics metrics;

	private final TransactionTemplate transactions;

	/** Enrolls that name lists, running at once on this instance. */
	private final Semaphore listEnrolls;

	/** The main pool, inside the transactions of {@link #transactions}. */
	private final JdbcClient mainPool;

	/** The enroll pool, with its own transactions. */
	private final JdbcClient enrollPool;

	private final TransactionTemplate enrollPoolTransactions;

	/** The enroll pool, in autocommit. */
	private final NamedParameterJdbcTemplate enrollPoolStatements;

	/**
	 * Whether the statements are the ones Citus routes whole to one shard
	 * ({@link DatabaseEngine#routedStatements}): enrolls then use
	 * {@link EnrollStatements#ROUTED_INSERT} and its report, and an enroll by email does
	 * not send its lock and its insert as one implicit transaction, which a Citus
	 * coordinator runs on the worker as a transaction per statement, so the lock would be
	 * gone before the insert ({@code DeleteRaceTests} found orphans there).
	 */
	private final boolean routed;

	EnrollmentService(EnrollmentRepository enrollments, JourneyService journeys, ListDirectory lists,
			EnrollmentProperties properties, Clock clock, PlatformTransactionManager transactionManager,
			JdbcClient mainPool, @Qualifier("enroll") DataSource enrollPool, EnrollmentMetrics metrics,
			JsonRequests requests, DatabaseEngine engine) {
		this.routed = engine.routedStatements();
		this.metrics = metrics;
		this.requests = requests;
		this.transactions = new TransactionTemplate(transactionManager);
		this.mainPool = mainPool;
		this.enrollPool = JdbcClient.create(enrollPool);
		this.enrollPoolStatements = new NamedParameterJdbcTemplate(enrollPool);
		this.enrollPoolTransactions = new TransactionTemplate(new JdbcTransactionManager(enrollPool));
		this.listEnrolls = new Semaphore(properties.maxConcurrentListEnrolls(), true);
		this.enrollments = enrollments;
		this.journeys = journeys;
		this.lists = lists;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Enrolls: one transaction of the contract's steps, in its order (the body's types
	 * were checked when it was read): lock the journey (404 when there is none), its
	 * state, the limits, the {@code base} rule, the lists, then one statement that
	 * inserts and classifies. The lock comes first so that the statement's snapshot is
	 * taken after any state change, completion or import it waited for has committed.
	 * <p>
	 * An enroll that names contacts only runs on the enroll pool, whose cached generic
	 * plans make it cheap ({@link EnrollPoolConfiguration}); when its emails are within
	 * the limits, the only errors left are the journey's, so the lock and the enroll go
	 * in one round trip ({@link #enrollNamed}). One that names lists, up to 100,000
	 * contacts, runs on the main pool, a few at a time, so that small requests always
	 * find a connection. A deadlock or a lock conflict rolled everything back, so it is
	 * run again, up to {@value #MAX_ATTEMPTS} times.
	 */
	EnrollResult enroll(ApiCaller caller, String journeyId, Targets targets) {
		UUID journey = Ids.parse(journeyId).orElseThrow(JourneyNotFound::new);
		if (targets.listEmailAddresses().isEmpty()) {
			if (!this.routed && this.requests.isValid(targets, AfterLookup.class)) {
				List<String> emails = Emails.normalizeAll(targets.contactEmailAddresses());
				if (!emails.isEmpty()) {
					return retrying(() -> enrollNamed(caller, journey, emails));
				}
			}
			// on Citus, or an answer that is an error whose kind depends on the journey
			return retrying(() -> this.enrollPoolTransactions
				.execute(status -> enrollLocked(this.enrollPool, caller, journey, targets)));
		}
		acquireListSlot();
		try {
			return retrying(
					() -> this.transactions.execute(status -> enrollLocked(this.mainPool, caller, journey, targets)));
		}
		finally {
			this.listEnrolls.release();
		}
	}

	private EnrollResult enrollLocked(JdbcClient jdbc, ApiCaller caller, UUID journeyId, Targets targets) {
		JourneyState state = EnrollStatements.lockJourney(jdbc, caller.companyId(), journeyId)
			.orElseThrow(JourneyNotFound::new);
		if (state != JourneyState.ON) {
			throw new JourneyNotOn(state);
		}
		this.requests.validate(targets, AfterLookup.class);
		Targets named = targets.normalized();
		List<UUID> listIds = named.listEmailAddresses().isEmpty() ? List.of()
				: this.lists.resolve(caller.companyId(), named.listEmailAddresses());
		Instant now = this.clock.instant();
		return EnrollStatements.enroll(jdbc, this.routed, caller.companyId(), journeyId, named.contactEmailAddresses(),
				listIds, now, now.minus(this.properties.reentryWindow()), audit(caller));
	}

	/**
	 * Emails within the limits, none of the errors that the journey decides left: the
	 * lock and the enroll in one round trip
	 * ({@link EnrollStatements#LOCK_AND_ENROLL_NAMED}), then the journey's errors in the
	 * contract's order (the enroll inserted nothing then).
	 */
	private EnrollResult enrollNamed(ApiCaller caller, UUID journeyId, List<String> emails) {
		Instant now = this.clock.instant();
		EnrollStatements.LockedEnroll done = EnrollStatements.lockAndEnrollNamed(this.enrollPoolStatements,
				caller.companyId(), journeyId, emails, now, now.minus(this.properties.reentryWindow()), audit(caller));
		JourneyState state = done.state().orElseThrow(JourneyNotFound::new);
		if (state != JourneyState.ON) {
			throw new JourneyNotOn(state);
		}
		return done.result();
	}

	private EnrollResult retrying(Supplier<EnrollResult> attempt) {
		for (int number = 1;; number++) {
			try {
				return attempt.get();
			}
			catch (ConcurrencyFailureException ex) {
				if (number == MAX_ATTEMPTS) {
					throw ex;
				}
				this.metrics.retried();
			}
		}
	}

	private void acquireListSlot() {
		try {
			if (!this.listEnrolls.tryAcquire(this.properties.listEnrollWait().toMillis(), TimeUnit.MILLISECONDS)) {
				throw new TooManyListEnrolls();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TooManyListEnrolls();
		}
	}

	/** Journey first, then the limit, then at least one email. */
	@Transactional
	CompleteResult complete(ApiCaller caller, String journeyId, Completion completion) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		this.requests.validate(completion, AfterLookup.class);
		List<String> emails = Emails.normalizeAll(completion.contactEmailAddresses());
		if (emails.isEmpty()) {
			throw InvalidParameters.of(Targets.CONTACTS, "can't be blank");
		}
		return this.enrollments.complete(caller.companyId(), journey.id(), emails, this.clock.instant());
	}

	@Transactional
	UnenrollResult unenroll(ApiCaller caller, String journeyId, Targets targets) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		this.requests.validate(targets, AfterLookup.class);
		Targets named = targets.normalized();
		List<UUID> listIds = this.lists.resolve(caller.companyId(), named.listEmailAddresses());
		return this.enrollments.unenroll(caller.companyId(), journey.id(), named.contactEmailAddresses(), listIds,
				this.clock.instant());
	}

	/**
	 * Imports history rows, all or none. Rows whose times lie in the future, whose end
	 * precedes their start, or that carry both ends are 422 before anything is looked up.
	 */
	ImportResult importHistory(ApiCaller caller, String journeyId, List<HistoryRow> rows) {
		Instant now = this.clock.instant();
		ValidationErrors errors = new ValidationErrors();
		for (int i = 0; i < rows.size(); i++) {
			rows.get(i).check(now, "enrollments[" + i + "].", errors);
		}
		errors.throwIfAny();
		return this.transactions.execute(status -> {
			LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
			if (rows.isEmpty()) {
				return new ImportResult(0, new Results.NotImported(List.of(), List.of()));
			}
			return this.enrollments.importHistory(caller.companyId(), journey.id(), rows, audit(caller), now);
		});
	}

	@Transactional(readOnly = true)
	List<EnrollmentView> page(ApiCaller caller, String journeyId, @Nullable String status, @Nullable String email,
			PageQuery query) {
		UUID journey = this.journeys.require(caller.companyId(), journeyId);
		return this.enrollments.page(caller.companyId(), journey, status, email, query);
	}

	static final String RETRY_REFUSED = "can be retried only when exited with action_failed at a step the journey "
			+ "still has, in a journey not archived, and while the contact is not active in the journey";

	/** One enrollment of the journey, with its timeline. */
	@Transactional(readOnly = true)
	EnrollmentDetail get(ApiCaller caller, String journeyId, String enrollmentId) {
		UUID journey = this.journeys.require(caller.companyId(), journeyId);
		UUID id = Ids.parse(enrollmentId).orElseThrow(EnrollmentNotFound::new);
		EnrollmentView enrollment = this.enrollments.find(caller.companyId(), journey, id)
			.orElseThrow(EnrollmentNotFound::new);
		return new EnrollmentDetail(enrollment, timeline(enrollment, this.enrollments.events(caller.companyId(), id)));
	}

	/**
	 * Puts an enrollment that exited with {@code action_failed} back at the step whose
	 * calls failed, due now; the journey is locked as for complete, so no enroll of the
	 * contact slips in meanwhile.
	 */
	@Transactional
	EnrollmentDetail retry(ApiCaller caller, String journeyId, String enrollmentId) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		UUID id = Ids.parse(enrollmentId).orElseThrow(EnrollmentNotFound::new);
		EnrollmentView before = this.enrollments.find(caller.companyId(), journey.id(), id)
			.orElseThrow(EnrollmentNotFound::new);
		if (!this.enrollments.retry(caller.companyId(), journey.id(), before.id(), this.clock.instant())) {
			throw InvalidParameters.of("status", RETRY_REFUSED);
		}
		return get(caller, journeyId, enrollmentId);
	}

	/**
	 * The steps an enrollment passed, from the runner's records: each passage starts when
	 * the step was entered and ends when the next began, or, for the last, when the
	 * enrollment ended; calls belong to the latest passage of their step.
	 */
	static List<Passage> timeline(EnrollmentView enrollment, List<Event> events) {
		List<String> steps = new ArrayList<>();
		List<Instant> starts = new ArrayList<>();
		List<List<Call>> calls = new ArrayList<>();
		for (Event event : events) {
			if (event.kind().equals("entered")) {
				steps.add(event.stepId());
				starts.add(event.at());
				calls.add(new ArrayList<>());
			}
			else {
				int passage = steps.lastIndexOf(event.stepId());
				if (passage >= 0) {
					calls.get(passage).add(new Call(event.at(), event.status(), event.error()));
				}
			}
		}
		Instant ended = enrollment.completedAt() != null ? enrollment.completedAt() : enrollment.exitedAt();
		List<Passage> timeline = new ArrayList<>();
		for (int i = 0; i < steps.size(); i++) {
			List<Call> made = calls.get(i);
			Call last = made.isEmpty() ? null : made.get(made.size() - 1);
			Instant end = i + 1 < steps.size() ? starts.get(i + 1) : ended;
			timeline.add(new Passage(steps.get(i), starts.get(i), end, made.size(), last == null ? null : last.status(),
					last == null ? null : last.error(), List.copyOf(made)));
		}
		return timeline;
	}

	private static Audit audit(ApiCaller caller) {
		return new Audit(caller.apiKeyId(), RequestIds.current());
	}

}
