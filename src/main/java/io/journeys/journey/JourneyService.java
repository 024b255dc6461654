package io.journeys.journey;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.destination.Destinations;
import io.journeys.journey.Steps.StepInput;
import io.journeys.persistence.Ids;
import io.journeys.paging.PageQuery;
import io.journeys.validation.TimeZones;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

@Service
public class JourneyService {

	private final JourneyRepository journeys;

	private final Clock clock;

	private final WebhookProperties webhooks;

	private final WebhookSecrets secrets;

	private final ApplicationEventPublisher events;

	private final Destinations destinations;

	JourneyService(JourneyRepository journeys, Clock clock, WebhookProperties webhooks, WebhookSecrets secrets,
			ApplicationEventPublisher events, Destinations destinations) {
		this.destinations = destinations;
		this.journeys = journeys;
		this.clock = clock;
		this.webhooks = webhooks;
		this.secrets = secrets;
		this.events = events;
	}

	/** What a journey listens for; each null when not sent, empty when sent as null. */
	record EventSettings(@Nullable Optional<JsonNode> trigger, @Nullable Optional<JsonNode> goal,
			@Nullable Optional<String> timeZone) {

		boolean sent() {
			return this.trigger != null || this.goal != null || this.timeZone != null;
		}

	}

	private record CheckedSettings(@Nullable Optional<EventRule> trigger, @Nullable Optional<EventRule> goal,
			@Nullable Optional<ZoneId> timeZone) {
	}

	private static CheckedSettings check(EventSettings sent, ValidationErrors errors) {
		return new CheckedSettings(rule(sent.trigger(), "trigger", errors), rule(sent.goal(), "goal", errors),
				zone(sent.timeZone(), errors));
	}

	private static @Nullable Optional<EventRule> rule(@Nullable Optional<JsonNode> sent, String field,
			ValidationErrors errors) {
		return sent == null ? null : sent.map(node -> EventRule.check(node, field, errors));
	}

	private static @Nullable Optional<ZoneId> zone(@Nullable Optional<String> sent, ValidationErrors errors) {
		return sent == null ? null : sent.map(name -> TimeZones.region(name, "time_zone", errors));
	}

	@Transactional
	JourneyView create(UUID companyId, String name, @Nullable List<StepInput> steps, EventSettings settings) {
		ValidationErrors errors = new ValidationErrors();
		List<Step> checked = steps == null ? null : Steps.check(steps, this.webhooks.allowHttp(), errors);
		CheckedSettings events = check(settings, errors);
		errors.throwIfAny();
		Instant now = this.clock.instant();
		Journey journey = new Journey(companyId, name, now);
		String shownSecret = null;
		if (checked != null) {
			journey.changeSteps(checked, now);
			shownSecret = giveSecret(journey);
			this.destinations.register(companyId, webhookUrls(checked), now);
		}
		if (settings.sent()) {
			journey.changeEvents(events.trigger(), events.goal(), events.timeZone(), now);
		}
		this.journeys.save(journey);
		return journey.view(shownSecret);
	}

	private @Nullable String giveSecret(Journey journey) {
		if (journey.hasWebhookSecret()) {
			return null;
		}
		String secret = WebhookSecrets.newSecret();
		journey.storeWebhookSecret(this.secrets.seal(secret));
		return secret;
	}

	@Transactional(readOnly = true)
	List<JourneyView> page(UUID companyId, @Nullable JourneyState state, PageQuery query) {
		return this.journeys.page(companyId, state, query);
	}

	@Transactional(readOnly = true)
	JourneyView get(UUID companyId, String id) {
		Journey journey = Ids.parse(id)
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		List<Step> steps = journey.steps();
		JourneyView view = journey.view();
		if (steps == null && !journey.hasGoal()) {
			return view;
		}
		List<Step> shown = steps == null ? List.of() : steps;
		JourneyStats stats = this.journeys.stats(companyId, journey.id(), shown, this.clock.instant());
		List<String> urls = webhookUrls(shown);
		return view.withStats(
				urls.isEmpty() ? stats : stats.withDestinations(shown, this.destinations.pausedUrls(companyId, urls)));
	}

	private static List<String> webhookUrls(List<Step> steps) {
		return steps.stream().filter(Step::isWebhook).map(Step::url).distinct().toList();
	}

	@Transactional
	JourneyView update(UUID companyId, String id, @Nullable String name, @Nullable JourneyState state,
			@Nullable List<StepInput> steps, EventSettings settings) {
		// FOR UPDATE first: waits for running enrolls, holds new ones back until commit
		Journey journey = Ids.parse(id)
			.filter(uuid -> this.journeys.lockExclusive(companyId, uuid).isPresent())
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		Instant now = this.clock.instant();
		if (name != null) {
			journey.rename(name, now);
		}
		ValidationErrors errors = new ValidationErrors();
		List<Step> after = steps == null ? null : Steps.check(steps, this.webhooks.allowHttp(), errors);
		CheckedSettings events = check(settings, errors);
		errors.throwIfAny();
		if (settings.sent()) {
			journey.changeEvents(events.trigger(), events.goal(), events.timeZone(), now);
		}
		String shownSecret = null;
		if (after != null) {
			// checked before the state changes: steps change only while draft or off
			List<Step> before = journey.changeSteps(after, now);
			shownSecret = giveSecret(journey);
			this.destinations.register(companyId, webhookUrls(after), now);
			this.events.publishEvent(new StepsChanged(companyId, journey.id(), before, after, now));
		}
		if (state != null) {
			JourneyState from = journey.state();
			journey.changeState(state, now);
			if (from != JourneyState.ARCHIVED && state == JourneyState.ARCHIVED && journey.steps() != null) {
				this.events.publishEvent(new JourneyArchived(companyId, journey.id(), now));
			}
		}
		return journey.view(shownSecret);
	}

	/** The old secret still signs for {@code journeys.webhook.rotation-grace}. */
	@Transactional
	RotatedSecret rotateSecret(UUID companyId, String id) {
		Journey journey = Ids.parse(id)
			.filter(uuid -> this.journeys.lockExclusive(companyId, uuid).isPresent())
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		Instant now = this.clock.instant();
		String secret = WebhookSecrets.newSecret();
		Instant until = now.plus(this.webhooks.rotationGrace());
		journey.rotateWebhookSecret(this.secrets.seal(secret), until, now);
		return new RotatedSecret("webhook_secret", secret, until);
	}

	record RotatedSecret(String object, String webhookSecret, Instant previousValidUntil) {
	}

	@Transactional(readOnly = true)
	public UUID require(UUID companyId, String id) {
		return Ids.parse(id)
			.filter(uuid -> this.journeys.existsByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
	}

	/**
	 * The zone an enrollment at {@code stepId} waits in, when that step is a
	 * {@code wait_until}: the step's, else the contact's, else the journey's.
	 */
	@Transactional(readOnly = true)
	public Optional<ZoneId> waitZone(UUID companyId, UUID journeyId, String stepId, @Nullable String contactZone) {
		return this.journeys.findByCompanyIdAndId(companyId, journeyId)
			.flatMap(journey -> Optional.ofNullable(journey.steps())
				.flatMap(steps -> steps.stream().filter(step -> step.id().equals(stepId)).findFirst())
				.filter(Step::isWaitUntil)
				.map(step -> LocalTimes.zone(step, contactZone, journey.timeZone())));
	}

	/** Whether the journey has a step with this id now. */
	@Transactional(readOnly = true)
	public boolean hasStep(UUID companyId, UUID journeyId, String stepId) {
		return this.journeys.findByCompanyIdAndId(companyId, journeyId)
			.map(journey -> journey.steps() != null
					&& journey.steps().stream().anyMatch(step -> step.id().equals(stepId)))
			.orElse(false);
	}

	/** Holds enrolls off until commit: a completion cannot slip past a re-entry check. */
	@Transactional(propagation = Propagation.MANDATORY)
	public LockedJourney lockForChanges(UUID companyId, String id) {
		UUID journey = Ids.parse(id).orElseThrow(JourneyNotFound::new);
		JourneyState state = this.journeys.lockExclusive(companyId, journey).orElseThrow(JourneyNotFound::new);
		return new LockedJourney(journey, state);
	}

}
