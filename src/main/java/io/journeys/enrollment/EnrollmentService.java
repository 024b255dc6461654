package io.journeys.enrollment;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.UUID;

import io.journeys.auth.ApiCaller;
import io.journeys.enrollment.Results.CompleteResult;
import io.journeys.enrollment.Results.EnrollResult;
import io.journeys.enrollment.Results.EnrollmentView;
import io.journeys.enrollment.Results.ImportResult;
import io.journeys.enrollment.Results.UnenrollResult;
import io.journeys.journey.JourneyNotFound;
import io.journeys.journey.JourneyService;
import io.journeys.journey.JourneyState;
import io.journeys.journey.LockedJourney;
import io.journeys.list.ListDirectory;
import io.journeys.web.Emails;
import io.journeys.web.Ids;
import io.journeys.web.InvalidParameters;
import io.journeys.web.PageQuery;
import io.journeys.web.ValidationErrors;
import io.journeys.web.RequestIds;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.ConcurrencyFailureException;
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

	private final NamedEnrollments named;

	private final JourneyService journeys;

	private final ListDirectory lists;

	private final EnrollmentProperties properties;

	private final Clock clock;

	private static final int MAX_ATTEMPTS = 3;

	private final EnrollmentMetrics metrics;

	private final TransactionTemplate transactions;

	/** Enrolls that name lists, running at once on this instance. */
	private final Semaphore listEnrolls;

	EnrollmentService(EnrollmentRepository enrollments, NamedEnrollments named, JourneyService journeys,
			ListDirectory lists, EnrollmentProperties properties, Clock clock,
			PlatformTransactionManager transactionManager, EnrollmentMetrics metrics) {
		this.metrics = metrics;
		this.transactions = new TransactionTemplate(transactionManager);
		this.listEnrolls = new Semaphore(properties.maxConcurrentListEnrolls(), true);
		this.enrollments = enrollments;
		this.named = named;
		this.journeys = journeys;
		this.lists = lists;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Enrolls. A valid request that names contacts only goes to {@link NamedEnrollments}
	 * (lock and enroll on a pool of their own, with cached plans); anything else, lists
	 * and refusals included, takes {@link #enrollLocked}.
	 */
	EnrollResult enroll(ApiCaller caller, String journeyId, Targets targets) {
		for (int attempt = 1;; attempt++) {
			try {
				return enrollOnce(caller, journeyId, targets);
			}
			catch (ConcurrencyFailureException ex) {
				// A deadlock or lock conflict rolled the whole statement or transaction
				// back, so nothing was written: running it again is safe.
				if (attempt == MAX_ATTEMPTS) {
					throw ex;
				}
				this.metrics.retried();
			}
		}
	}

	private EnrollResult enrollOnce(ApiCaller caller, String journeyId, Targets targets) {
		Optional<UUID> journey = Ids.parse(journeyId);
		if (journey.isEmpty()) {
			throw new JourneyNotFound();
		}
		if (targets.listEmails().isEmpty() && targets.withinLimits()) {
			List<String> emails = Emails.normalizeAll(targets.contactEmails());
			if (!emails.isEmpty()) {
				Instant now = now();
				NamedEnrollment named = this.named.enroll(caller.companyId(), journey.get(), emails, now,
						now.minus(this.properties.reentryWindow()), audit(caller));
				if (named.journeyState() == null) {
					throw new JourneyNotFound();
				}
				JourneyState state = JourneyState.of(named.journeyState()).orElseThrow();
				if (state != JourneyState.ON) {
					throw new JourneyNotOn(state);
				}
				return named.result();
			}
		}
		if (targets.listEmails().isEmpty()) {
			return this.transactions.execute(status -> enrollLocked(caller, journeyId, targets));
		}
		// Naming lists can mean 100,000 rows: such requests queue for a few pool
		// connections, so
		// that small requests always find one free.
		acquireListSlot();
		try {
			return this.transactions.execute(status -> enrollLocked(caller, journeyId, targets));
		}
		finally {
			this.listEnrolls.release();
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

	/**
	 * The checks run in the contract's order: journey, state, limits, base rule, lists.
	 */
	private EnrollResult enrollLocked(ApiCaller caller, String journeyId, Targets targets) {
		LockedJourney journey = this.journeys.lockForEnrollment(caller.companyId(), journeyId);
		if (journey.state() != JourneyState.ON) {
			throw new JourneyNotOn(journey.state());
		}
		targets.checkLimits();
		Targets named = targets.normalized();
		List<UUID> listIds = this.lists.resolve(caller.companyId(), named.listEmails());
		Instant now = now();
		return this.enrollments.enroll(caller.companyId(), journey.id(), named.contactEmails(), listIds, now,
				now.minus(this.properties.reentryWindow()), audit(caller));
	}

	/** Journey first, then the limit, then at least one email. */
	@Transactional
	CompleteResult complete(ApiCaller caller, String journeyId, List<String> contactEmails) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		if (contactEmails.size() > Targets.MAX_CONTACTS) {
			throw InvalidParameters.of(Targets.CONTACTS, "is too long (maximum is " + Targets.MAX_CONTACTS + ")");
		}
		List<String> emails = Emails.normalizeAll(contactEmails);
		if (emails.isEmpty()) {
			throw InvalidParameters.of(Targets.CONTACTS, "can't be blank");
		}
		return this.enrollments.complete(caller.companyId(), journey.id(), emails, now());
	}

	@Transactional
	UnenrollResult unenroll(ApiCaller caller, String journeyId, Targets targets) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		targets.checkLimits();
		Targets named = targets.normalized();
		List<UUID> listIds = this.lists.resolve(caller.companyId(), named.listEmails());
		return this.enrollments.unenroll(caller.companyId(), journey.id(), named.contactEmails(), listIds, now());
	}

	/**
	 * Imports history rows, all or none. Rows whose times lie in the future, whose end
	 * precedes their start, or that carry both ends are 422 before anything is looked up.
	 */
	@Transactional
	ImportResult importHistory(ApiCaller caller, String journeyId, List<HistoryRow> rows) {
		Instant now = now();
		ValidationErrors errors = new ValidationErrors();
		for (int i = 0; i < rows.size(); i++) {
			rows.get(i).check(now, "enrollments[" + i + "].", errors);
		}
		errors.throwIfAny();
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		if (rows.isEmpty()) {
			return new ImportResult(0, new Results.NotImported(List.of(), List.of()));
		}
		return this.enrollments.importHistory(caller.companyId(), journey.id(), rows, audit(caller));
	}

	@Transactional(readOnly = true)
	List<EnrollmentView> page(ApiCaller caller, String journeyId, @Nullable String status, @Nullable String email,
			PageQuery query) {
		UUID journey = this.journeys.require(caller.companyId(), journeyId);
		return this.enrollments.page(caller.companyId(), journey, status, email, query);
	}

	/** Now, to the microsecond PostgreSQL keeps. */
	Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static Audit audit(ApiCaller caller) {
		return new Audit(caller.apiKeyId(), RequestIds.current());
	}

}
