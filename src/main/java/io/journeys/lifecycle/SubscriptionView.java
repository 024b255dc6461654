package io.journeys.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** {@code journeyIds} null: every journey. The secret is answered once, at creation. */
record SubscriptionView(String object, UUID id, String url, List<String> eventTypes, @Nullable List<UUID> journeyIds,
		Instant createdAt) {

	static final String OBJECT = "subscription";

	/** The answer of a create: the view and, this once, the signing secret. */
	record Created(String object, UUID id, String url, List<String> eventTypes, @Nullable List<UUID> journeyIds,
			String secret, Instant createdAt) {

		Created(SubscriptionView view, String secret) {
			this(view.object(), view.id(), view.url(), view.eventTypes(), view.journeyIds(), secret, view.createdAt());
		}

	}

	/**
	 * One event to this subscription: {@code webhookId} is its calls' {@code webhook-id}.
	 */
	record Delivery(String object, UUID id, String webhookId, String type, Instant occurredAt, @Nullable UUID journeyId,
			@Nullable UUID enrollmentId, String status, int attempts, @Nullable Instant lastAttemptAt,
			@Nullable Integer lastStatus, @Nullable String lastError) {

	}

	record Replayed(int replayed) {
	}

}
