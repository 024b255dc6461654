package io.journeys.journey;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.journey.Steps.StepInput;
import io.journeys.persistence.Ids;
import io.journeys.paging.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Journeys of a company, and the locks other features take on them. */
@Service
public class JourneyService {

	private final JourneyRepository journeys;

	private final Clock clock;

	private final WebhookProperties webhooks;

	private final WebhookSecrets secrets;

	private final ApplicationEventPublisher events;

	JourneyService(JourneyRepository journeys, Clock clock, WebhookProperties webhooks, WebhookSecrets secrets,
			ApplicationEventPublisher events) {
		this.journeys = journeys;
		this.clock = clock;
		this.webhooks = webhooks;
		this.secrets = secrets;
		this.events = events;
	}

	@Transactional
	JourneyView create(UUID companyId, String name, @Nullable List<StepInput> steps) {
		Instant now = this.clock.instant();
		Journey journey = new Journey(companyId, name, now);
		String shownSecret = null;
		if (steps != null) {
			journey.changeSteps(Steps.check(steps, null, this.webhooks.allowHttp()), now);
			shownSecret = giveSecret(journey);
		}
		this.journeys.save(journey);
		return journey.view(shownSecret);
	}

	/**
	 * A journey gets its signing secret with its first steps; the answer shows it once.
	 */
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

	/** A journey; one with steps shows where its enrollments stand ({@code stats}). */
	@Transactional(readOnly = true)
	JourneyView get(UUID companyId, String id) {
		Journey journey = Ids.parse(id)
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		List<Step> steps = journey.steps();
		JourneyView view = journey.view();
		return steps == null ? view
				: view.withStats(this.journeys.stats(companyId, journey.id(), steps, this.clock.instant()));
	}

	@Transactional
	JourneyView update(UUID companyId, String id, @Nullable String name, @Nullable JourneyState state,
			@Nullable List<StepInput> steps) {
		// FOR UPDATE first: it waits for running enrolls, which hold FOR KEY SHARE, and
		// holds new ones back until this transaction ends.
		Journey journey = Ids.parse(id)
			.filter(uuid -> this.journeys.lockExclusive(companyId, uuid).isPresent())
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		Instant now = this.clock.instant();
		if (name != null) {
			journey.rename(name, now);
		}
		String shownSecret = null;
		if (steps != null) {
			// checked before a state change in the same request applies: steps change
			// while the journey is draft or off
			List<Step> after = Steps.check(steps, journey.steps(), this.webhooks.allowHttp());
			List<Step> before = journey.changeSteps(after, now);
			shownSecret = giveSecret(journey);
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

	/**
	 * A new signing secret for the journey's webhooks; the one it replaces still signs
	 * calls beside it for {@code journeys.webhook.rotation-grace}.
	 */
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

	/**
	 * The answer of a rotation: the new secret, shown once, and how long the old one
	 * signs.
	 */
	record RotatedSecret(String object, String webhookSecret, Instant previousValidUntil) {
	}

	/**
	 * The id of an existing journey of the company; anything else is
	 * {@link JourneyNotFound}.
	 */
	@Transactional(readOnly = true)
	public UUID require(UUID companyId, String id) {
		return Ids.parse(id)
			.filter(uuid -> this.journeys.existsByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
	}

	/**
	 * For complete, unenroll and import: locks the journey against running enrolls until
	 * the caller's transaction ends, so a completion cannot slip past an enroll's
	 * re-entry check.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public LockedJourney lockForChanges(UUID companyId, String id) {
		UUID journey = Ids.parse(id).orElseThrow(JourneyNotFound::new);
		JourneyState state = this.journeys.lockExclusive(companyId, journey).orElseThrow(JourneyNotFound::new);
		return new LockedJourney(journey, state);
	}

}
