package io.journeys.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.journeys.auth.ApiCaller;
import io.journeys.lifecycle.SubscriptionView.Created;
import io.journeys.lifecycle.SubscriptionView.Delivery;
import io.journeys.lifecycle.SubscriptionView.Replayed;
import io.journeys.paging.Page;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/subscriptions")
class SubscriptionController {

	/** {@code journeyIds} absent: every journey. */
	record NewSubscription(@Nullable String url, @Nullable List<String> eventTypes, @Nullable List<String> journeyIds) {
	}

	record Replay(@Nullable Instant since) {
	}

	private final SubscriptionService subscriptions;

	SubscriptionController(SubscriptionService subscriptions) {
		this.subscriptions = subscriptions;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	Created create(@AuthenticationPrincipal ApiCaller caller, @RequestBody NewSubscription body) {
		return this.subscriptions.create(caller.companyId(), body.url(), body.eventTypes(), body.journeyIds());
	}

	@GetMapping
	Page<SubscriptionView> list(@AuthenticationPrincipal ApiCaller caller, PageQuery query) {
		return Page.of(this.subscriptions.page(caller.companyId(), query), query,
				subscription -> new Keyset(subscription.createdAt(), subscription.id()), "/v1/subscriptions", Map.of());
	}

	@GetMapping("/{id}")
	SubscriptionView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.subscriptions.get(caller.companyId(), id);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		this.subscriptions.delete(caller.companyId(), id);
	}

	/** Newest first. */
	@GetMapping("/{id}/deliveries")
	Page<Delivery> deliveries(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id, PageQuery query) {
		return Page.of(this.subscriptions.deliveries(caller.companyId(), id, query), query,
				delivery -> new Keyset(delivery.occurredAt(), delivery.id()), "/v1/subscriptions/" + id + "/deliveries",
				Map.of());
	}

	@PostMapping("/{id}/replay")
	Replayed replay(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id, @RequestBody Replay body) {
		return this.subscriptions.replay(caller.companyId(), id, body.since());
	}

}
