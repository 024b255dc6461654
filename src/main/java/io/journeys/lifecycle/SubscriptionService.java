package io.journeys.lifecycle;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.journeys.lifecycle.SubscriptionView.Created;
import io.journeys.lifecycle.SubscriptionView.Delivery;
import io.journeys.lifecycle.SubscriptionView.Replayed;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Ids;
import io.journeys.persistence.SecretSealer;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import io.journeys.validation.WebhookUrls;
import io.journeys.web.NotFound;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fields are checked first (types, presence, format), then the journeys they name; the
 * secret is answered once and kept sealed, as a journey's webhook secret.
 */
@Service
class SubscriptionService {

	static final int MAX_JOURNEYS = 100;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SubscriptionRepository subscriptions;

	private final SecretSealer sealer;

	private final Clock clock;

	private final boolean allowHttp;

	SubscriptionService(SubscriptionRepository subscriptions, SecretSealer sealer, Clock clock,
			@Value("${journeys.webhook.allow-http:false}") boolean allowHttp) {
		this.subscriptions = subscriptions;
		this.sealer = sealer;
		this.clock = clock;
		this.allowHttp = allowHttp;
	}

	/** As Standard Webhooks has them: {@code whsec_} and 24 random bytes in base64. */
	static String newSecret() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return "whsec_" + Base64.getEncoder().encodeToString(bytes);
	}

	@Transactional
	Created create(UUID companyId, @Nullable String url, @Nullable List<String> eventTypes,
			@Nullable List<String> journeyIds) {
		ValidationErrors errors = new ValidationErrors();
		String checkedUrl = WebhookUrls.check(url, "url", this.allowHttp, errors);
		List<String> types = checkTypes(eventTypes, errors);
		List<UUID> journeys = checkJourneyIds(journeyIds, errors);
		errors.throwIfAny();
		if (journeys != null && !journeys.isEmpty() && journeyIds != null) {
			Set<UUID> found = new HashSet<>(this.subscriptions.existingJourneys(companyId, journeys));
			// each unknown one named at its place as sent, repeats included
			for (int i = 0; i < journeyIds.size(); i++) {
				if (Ids.parse(journeyIds.get(i).strip()).filter(found::contains).isEmpty()) {
					errors.add("journey_ids[" + i + "]", "does not name a journey");
				}
			}
			errors.throwIfAny();
		}
		SubscriptionView view = new SubscriptionView(SubscriptionView.OBJECT, UUID.randomUUID(),
				java.util.Objects.requireNonNull(checkedUrl), types, journeys, this.clock.instant());
		String secret = newSecret();
		this.subscriptions.insert(companyId, view, this.sealer.seal(secret));
		return new Created(view, secret);
	}

	private static List<String> checkTypes(@Nullable List<String> sent, ValidationErrors errors) {
		if (sent == null || sent.isEmpty()) {
			errors.add("event_types", Messages.BLANK);
			return List.of();
		}
		Set<String> types = new LinkedHashSet<>();
		for (int i = 0; i < sent.size(); i++) {
			String type = sent.get(i).strip();
			if (!LifecycleEvent.NAMES.contains(type)) {
				errors.add("event_types[" + i + "]", Messages.NOT_INCLUDED);
			}
			types.add(type);
		}
		return List.copyOf(types);
	}

	/**
	 * Absent or null: every journey; an empty list is refused, as it would get nothing.
	 */
	private static @Nullable List<UUID> checkJourneyIds(@Nullable List<String> sent, ValidationErrors errors) {
		if (sent == null) {
			return null;
		}
		if (sent.isEmpty()) {
			errors.add("journey_ids", Messages.BLANK);
			return null;
		}
		if (sent.size() > MAX_JOURNEYS) {
			errors.add("journey_ids", "is too long (maximum is " + MAX_JOURNEYS + " journeys)");
			return null;
		}
		Set<UUID> ids = new LinkedHashSet<>();
		for (int i = 0; i < sent.size(); i++) {
			Optional<UUID> id = Ids.parse(sent.get(i).strip());
			if (id.isEmpty()) {
				errors.add("journey_ids[" + i + "]", "does not name a journey");
			}
			id.ifPresent(ids::add);
		}
		return new ArrayList<>(ids);
	}

	@Transactional(readOnly = true)
	List<SubscriptionView> page(UUID companyId, PageQuery query) {
		return this.subscriptions.page(companyId, query);
	}

	@Transactional(readOnly = true)
	SubscriptionView get(UUID companyId, String id) {
		return find(companyId, id);
	}

	@Transactional
	void delete(UUID companyId, String id) {
		UUID subscription = Ids.parse(id).orElseThrow(SubscriptionService::notFound);
		if (!this.subscriptions.delete(companyId, subscription)) {
			throw notFound();
		}
	}

	@Transactional(readOnly = true)
	List<Delivery> deliveries(UUID companyId, String id, PageQuery query) {
		SubscriptionView subscription = find(companyId, id);
		return this.subscriptions.deliveries(companyId, subscription.id(), query);
	}

	/** {@code since} is required; a time in the future replays nothing. */
	@Transactional
	Replayed replay(UUID companyId, String id, @Nullable Instant since) {
		SubscriptionView subscription = find(companyId, id);
		if (since == null) {
			throw InvalidParameters.of("since", Messages.BLANK);
		}
		return new Replayed(this.subscriptions.replay(companyId, subscription.id(), since, this.clock.instant()));
	}

	private SubscriptionView find(UUID companyId, String id) {
		return Ids.parse(id).flatMap(uuid -> this.subscriptions.find(companyId, uuid)).orElseThrow(() -> notFound());
	}

	private static NotFound notFound() {
		return new NotFound("Subscription");
	}

}
