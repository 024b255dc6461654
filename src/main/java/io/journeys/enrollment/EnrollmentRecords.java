package io.journeys.enrollment;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Validator;

import io.journeys.auth.ApiCaller;
import io.journeys.contact.Emails;
import io.journeys.enrollment.EnrollStatements.Audit;
import io.journeys.enrollment.EnrollmentResponses.Call;
import io.journeys.enrollment.EnrollmentResponses.CompleteResult;
import io.journeys.enrollment.EnrollmentResponses.EndedBy;
import io.journeys.enrollment.EnrollmentRepository.Found;
import io.journeys.enrollment.EnrollmentResponses.EnrollmentDetail;
import io.journeys.enrollment.EnrollmentResponses.EnrollmentView;
import io.journeys.enrollment.EnrollmentResponses.Event;
import io.journeys.enrollment.EnrollmentResponses.ImportResult;
import io.journeys.enrollment.EnrollmentResponses.Passage;
import io.journeys.enrollment.EnrollmentResponses.RetryResult;
import io.journeys.journey.Decisions.Way;
import io.journeys.enrollment.EnrollmentResponses.UnenrollResult;
import io.journeys.journey.JourneyService;
import io.journeys.journey.JourneyState;
import io.journeys.journey.LockedJourney;
import io.journeys.list.ListDirectory;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Ids;
import io.journeys.validation.AfterLookup;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each write locks the journey for changes first, so no enroll runs meanwhile and no
 * completion slips past the re-entry check.
 */
@Service
class EnrollmentRecords {

	private final EnrollmentRepository enrollments;

	private final JourneyService journeys;

	private final ListDirectory lists;

	private final Validator validator;

	private final Clock clock;

	private final TransactionTemplate transactions;

	EnrollmentRecords(EnrollmentRepository enrollments, JourneyService journeys, ListDirectory lists,
			Validator validator, Clock clock, TransactionTemplate transactions) {
		this.enrollments = enrollments;
		this.journeys = journeys;
		this.lists = lists;
		this.validator = validator;
		this.clock = clock;
		this.transactions = transactions;
	}

	/** Journey first, then the limit, then at least one email. */
	@Transactional
	CompleteResult complete(ApiCaller caller, String journeyId, Completion completion) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		ValidationErrors.check(this.validator.validate(completion, AfterLookup.class));
		List<String> emails = Emails.normalizeAll(completion.contactEmailAddresses());
		if (emails.isEmpty()) {
			throw InvalidParameters.of(ContactsAndLists.CONTACTS, "can't be blank");
		}
		return this.enrollments.complete(caller.companyId(), journey.id(), emails, this.clock.instant());
	}

	@Transactional
	UnenrollResult unenroll(ApiCaller caller, String journeyId, ContactsAndLists targets) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		ValidationErrors.check(this.validator.validate(targets, AfterLookup.class));
		ContactsAndLists named = targets.normalized();
		List<UUID> listIds = this.lists.resolve(caller.companyId(), named.listEmailAddresses());
		return this.enrollments.unenroll(caller.companyId(), journey.id(), named.contactEmailAddresses(), listIds,
				this.clock.instant());
	}

	/** All or none; bad rows are 422 before anything is looked up. */
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
				return new ImportResult(0, new EnrollmentResponses.NotImported(List.of(), List.of()));
			}
			return this.enrollments.importHistory(caller.companyId(), journey.id(), rows, Audit.of(caller), now);
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

	@Transactional(readOnly = true)
	EnrollmentDetail get(ApiCaller caller, String journeyId, String enrollmentId) {
		UUID journey = this.journeys.require(caller.companyId(), journeyId);
		UUID id = Ids.parse(enrollmentId).orElseThrow(EnrollmentNotFound::new);
		Found found = this.enrollments.findView(caller.companyId(), journey, id).orElseThrow(EnrollmentNotFound::new);
		EnrollmentView enrollment = found.enrollment();
		List<Event> events = this.enrollments.events(caller.companyId(), id);
		String exitEvent = events.stream()
			.filter(event -> event.kind().equals("goal"))
			.map(Event::event)
			.reduce((first, second) -> second)
			.orElse(null);
		ZoneId zone = enrollment.stepId() == null || enrollment.dueAt() == null ? null
				: this.journeys.waitZone(caller.companyId(), journey, enrollment.stepId(), found.contact().timeZone())
					.orElse(null);
		return new EnrollmentDetail(enrollment, found.contact(), timeline(enrollment, events), exitEvent,
				zone == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(enrollment.dueAt().atZone(zone)),
				zone == null ? null : zone.getId());
	}

	@Transactional
	EnrollmentDetail retry(ApiCaller caller, String journeyId, String enrollmentId) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		UUID id = Ids.parse(enrollmentId).orElseThrow(EnrollmentNotFound::new);
		if (!this.enrollments.existsByCompanyIdAndJourneyIdAndId(caller.companyId(), journey.id(), id)) {
			throw new EnrollmentNotFound();
		}
		if (!this.enrollments.retry(caller.companyId(), journey.id(), id, this.clock.instant())) {
			throw InvalidParameters.of("status", RETRY_REFUSED);
		}
		return get(caller, journeyId, enrollmentId);
	}

	/** Statements of at most this many rows, each under the statement timeout. */
	static final int RETRY_BATCH = 50_000;

	static final String NOT_A_STEP = "is not a step of the journey";

	/**
	 * What {@link #retry} does, to every enrollment the filters match, in one
	 * transaction. Journey first (404), then the filters' rules, then the state: an
	 * archived journey refuses, as the single retry does; one that is off takes them back
	 * and runs them when switched on.
	 */
	@Transactional
	RetryResult retryAll(ApiCaller caller, String journeyId, RetryRequest filters) {
		LockedJourney journey = this.journeys.lockForChanges(caller.companyId(), journeyId);
		ValidationErrors errors = new ValidationErrors();
		if (filters.exitReason() != null && !filters.exitReason().equals(RetryRequest.ACTION_FAILED)) {
			errors.add("exit_reason", Messages.NOT_INCLUDED);
		}
		if (filters.stepId() != null && !this.journeys.hasStep(caller.companyId(), journey.id(), filters.stepId())) {
			errors.add("step_id", NOT_A_STEP);
		}
		errors.throwIfAny();
		if (journey.state() == JourneyState.ARCHIVED) {
			throw new JourneyIsArchived();
		}
		return new RetryResult(this.enrollments.retryAll(caller.companyId(), journey.id(), filters.stepId(),
				filters.since(), this.clock.instant(), RETRY_BATCH));
	}

	/**
	 * Calls belong to the latest passage of their step. A pass may move an enrollment
	 * through several steps at one instant (into a branch, out of it, into the next):
	 * rows of one instant are put in the order their decisions' {@code next_step} gives.
	 */
	static List<Passage> timeline(EnrollmentView enrollment, List<Event> events) {
		List<String> steps = new ArrayList<>();
		List<Instant> starts = new ArrayList<>();
		List<List<Call>> calls = new ArrayList<>();
		Map<Integer, EndedBy> endings = new HashMap<>();
		Map<Integer, Way> ways = new HashMap<>();
		for (Event event : inOrder(events)) {
			int passage = steps.lastIndexOf(event.stepId());
			switch (event.kind()) {
				case "entered" -> {
					steps.add(event.stepId());
					starts.add(event.at());
					calls.add(new ArrayList<>());
				}
				case "called" -> {
					if (passage >= 0) {
						calls.get(passage).add(new Call(event.at(), event.status(), event.error()));
					}
				}
				case "decided" -> {
					if (passage >= 0 && event.way() != null) {
						ways.put(passage, Way.of(event.way(), event.nextStep()));
					}
				}
				default -> {
					if (passage >= 0) {
						endings.put(passage, new EndedBy(event.kind().equals("goal") ? "goal_reached" : event.kind(),
								event.event()));
					}
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
					last == null ? null : last.error(), List.copyOf(made), endings.get(i), ways.get(i)));
		}
		return timeline;
	}

	/**
	 * The rows by time, and within one instant by depth: a step entered there that a
	 * decision of the same instant led to comes after that decision's step, and a step's
	 * other rows after its entry. The sort is stable, so rows of equal rank keep the
	 * database's order ({@code kind desc}).
	 */
	private static List<Event> inOrder(List<Event> events) {
		Map<Instant, Map<String, String>> decidedFrom = new HashMap<>();
		for (Event event : events) {
			if (event.kind().equals("decided") && event.nextStep() != null) {
				decidedFrom.computeIfAbsent(event.at(), at -> new HashMap<>()).put(event.nextStep(), event.stepId());
			}
		}
		if (decidedFrom.isEmpty()) {
			return events;
		}
		List<Event> sorted = new ArrayList<>(events);
		sorted.sort(Comparator.comparing(Event::at).thenComparingInt(event -> rank(event, decidedFrom)));
		return sorted;
	}

	private static int rank(Event event, Map<Instant, Map<String, String>> decidedFrom) {
		Map<String, String> from = decidedFrom.getOrDefault(event.at(), Map.of());
		int depth = 0;
		for (String step = event.stepId(); from.containsKey(step) && depth < from.size(); step = from.get(step)) {
			depth++;
		}
		return depth * 2 + (event.kind().equals("entered") ? 0 : 1);
	}

}
