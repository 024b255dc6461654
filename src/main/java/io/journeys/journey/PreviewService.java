package io.journeys.journey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Validator;

import io.journeys.condition.Condition;
import io.journeys.condition.Condition.Subject;
import io.journeys.condition.Conditions;
import io.journeys.condition.Facts;
import io.journeys.condition.Facts.PastEvent;
import io.journeys.contact.Emails;
import io.journeys.journey.Decisions.Way;
import io.journeys.journey.Preview.PreviewContact;
import io.journeys.journey.Preview.PreviewStep;
import io.journeys.persistence.Ids;
import io.journeys.persistence.SqlTimes;
import io.journeys.validation.AfterLookup;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code POST /v1/journeys/{id}/preview}: walks a journey's graph as the runner would
 * move one enrollment of the contact entered at {@code at}, with no further event
 * arriving. It only reads: no enrollment, no webhook call, nothing for the runner.
 */
@Service
class PreviewService {

	static final String EMAIL = "contact_email_address";

	/** How far from now {@code at} may be. */
	static final Duration LONGEST_REACH = Duration.ofDays(3653);

	private final JourneyRepository journeys;

	private final PreviewRepository repository;

	private final Validator validator;

	private final Clock clock;

	PreviewService(JourneyRepository journeys, PreviewRepository repository, Validator validator, Clock clock) {
		this.journeys = journeys;
		this.repository = repository;
		this.validator = validator;
		this.clock = clock;
	}

	/**
	 * Checks in the house order: the body's types were checked when it was bound, then
	 * the journey is looked up (404), then the rules: the email and {@code at}, the
	 * contact (422 on the email when it names none, or an inactive one), the steps.
	 */
	@Transactional(readOnly = true)
	Preview preview(UUID companyId, String id, PreviewRequest body) {
		Journey journey = Ids.parse(id)
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		Instant now = this.clock.instant();
		ValidationErrors errors = new ValidationErrors();
		errors.addViolations(this.validator.validate(body, AfterLookup.class));
		String email = body.contactEmailAddress() == null ? "" : Emails.normalize(body.contactEmailAddress());
		if (email.isEmpty() && errors.size() == 0) {
			errors.add(EMAIL, "can't be blank");
		}
		Instant at = body.at() == null ? now : body.at();
		if (Duration.between(now, at).abs().compareTo(LONGEST_REACH) > 0) {
			errors.add("at", "must be within 10 years of now");
		}
		errors.throwIfAny();
		PreviewContact contact = this.repository.contact(companyId, email)
			.orElseThrow(() -> InvalidParameters.of(EMAIL, "does not name a contact"));
		if (!contact.active()) {
			throw InvalidParameters.of(EMAIL, "is not active");
		}
		List<Step> steps = journey.steps();
		if (steps == null) {
			throw InvalidParameters.of("steps", "has no steps to preview");
		}
		return new Walk(companyId, journey, steps, contact).from(at);
	}

	/** One preview's walk along the graph. */
	private final class Walk {

		private final UUID companyId;

		private final UUID journeyId;

		private final List<Step> steps;

		private final PreviewContact contact;

		private final @Nullable String journeyZone;

		private final @Nullable EventRule goal;

		/**
		 * Where local times are shown: the contact's zone, else the journey's, else UTC.
		 */
		private final ZoneId shownZone;

		Walk(UUID companyId, Journey journey, List<Step> steps, PreviewContact contact) {
			this.companyId = companyId;
			this.journeyId = journey.id();
			this.steps = steps;
			this.contact = contact;
			this.journeyZone = journey.timeZone();
			this.goal = journey.goal();
			this.shownZone = zone(contact.timeZone() != null ? contact.timeZone() : this.journeyZone);
		}

		Preview from(Instant at) {
			Instant goalReached = goalReached(at);
			List<PreviewStep> path = new ArrayList<>();
			Instant time = at;
			Optional<Step> next = Step.after(this.steps, -1);
			// the graph has no cycle: each step is entered at most once
			while (next.isPresent() && path.size() <= this.steps.size()) {
				if (goalReached != null && time.isAfter(goalReached)) {
					return preview(path, Preview.EXITED, goalReached);
				}
				Step step = next.get();
				int index = this.steps.indexOf(step);
				Instant due = null;
				ZoneId dueZone = this.shownZone;
				Way way = null;
				if (step.isWait()) {
					due = time.plus(step.delay());
					next = Step.after(this.steps, index);
				}
				else if (step.isWaitForEvent()) {
					due = time.plus(step.delay());
					next = Step.afterTimeout(this.steps, index);
					way = new Way(Decisions.TIMEOUT, null, idOf(next));
				}
				else if (step.isWaitUntil()) {
					dueZone = LocalTimes.zone(step, this.contact.timeZone(), this.journeyZone);
					due = LocalTimes.Rule.of(step).due(dueZone, time, this.contact.id(), this.journeyId, step.id());
					next = Step.after(this.steps, index);
				}
				else if (step.isBranch()) {
					Facts facts = Facts.of(JsonNodeFactory.instance.objectNode(), this.contact.attributes(), time,
							this::events);
					int taken = -1;
					for (int i = 0; i < step.cases().size() && taken < 0; i++) {
						if (Conditions.read(step.cases().get(i).when(), Subject.ATTRIBUTE).matches(facts)) {
							taken = i;
						}
					}
					next = Step.along(this.steps, index, taken < 0 ? step.otherwise() : step.cases().get(taken).next());
					way = taken < 0 ? new Way(Decisions.OTHERWISE, null, idOf(next))
							: new Way("case", taken, idOf(next));
				}
				else if (step.isSplit()) {
					int taken = Shares.path(step.paths(), this.contact.id(), this.journeyId, step.id());
					next = Step.along(this.steps, index, step.paths().get(taken).next());
					way = new Way("path", taken, idOf(next));
				}
				else {
					// a webhook: its call is taken to succeed at once
					next = Step.after(this.steps, index);
				}
				path.add(new PreviewStep(step.id(), step.type(), time, local(time, this.shownZone), due,
						due == null ? null : local(due, dueZone), way));
				if (due != null) {
					time = due;
				}
			}
			if (goalReached != null && !goalReached.isAfter(time)) {
				return preview(path, Preview.EXITED, goalReached);
			}
			return preview(path, Preview.COMPLETED, time);
		}

		private Preview preview(List<PreviewStep> path, String ends, Instant endsAt) {
			return new Preview("preview", this.contact, List.copyOf(path), ends, endsAt);
		}

		/**
		 * When the first of the contact's events that reaches the goal occurred, at or
		 * after {@code at}; null when none did.
		 */
		private @Nullable Instant goalReached(Instant at) {
			if (this.goal == null) {
				return null;
			}
			Condition where = this.goal.condition();
			return this.repository()
				.events(this.companyId, this.contact.id(), this.goal.eventName(), at, SqlTimes.LATEST)
				.stream()
				.filter(event -> where == null
						|| where.matches(Facts.of(event.properties(), event.occurredAt(), this::events)))
				.map(PastEvent::occurredAt)
				.findFirst()
				.orElse(null);
		}

		private List<PastEvent> events(String name, Instant from, Instant to) {
			return repository().events(this.companyId, this.contact.id(), name, from, to);
		}

		private PreviewRepository repository() {
			return PreviewService.this.repository;
		}

	}

	private static String idOf(Optional<Step> next) {
		return next.map(Step::id).orElse(Step.END);
	}

	/** A zone this JVM does not know reads as UTC, as in the runner. */
	private static ZoneId zone(@Nullable String name) {
		return name == null ? ZoneOffset.UTC : LocalTimes.zoneOf(name);
	}

	private static String local(Instant instant, ZoneId zone) {
		return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
	}

}
