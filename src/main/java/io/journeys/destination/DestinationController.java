package io.journeys.destination;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;
import io.journeys.auth.ApiCaller;
import io.journeys.paging.Page;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/destinations")
class DestinationController {

	enum State {

		ACTIVE(Destinations.ACTIVE), PAUSED(Destinations.PAUSED);

		private final String value;

		State(String value) {
			this.value = value;
		}

		@JsonValue
		String value() {
			return this.value;
		}

	}

	/** {@code maxPerSecond}: not sent, kept; sent as {@code null}, no limit. */
	record DestinationChanges(@Nullable State state, @Nullable Optional<Integer> maxPerSecond) {
	}

	private final DestinationService destinations;

	DestinationController(DestinationService destinations) {
		this.destinations = destinations;
	}

	@GetMapping
	Page<DestinationView> list(@AuthenticationPrincipal ApiCaller caller, PageQuery query) {
		return Page.of(this.destinations.page(caller.companyId(), query), query,
				destination -> new Keyset(destination.createdAt(), destination.id()), "/v1/destinations", Map.of());
	}

	@GetMapping("/{id}")
	DestinationView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.destinations.get(caller.companyId(), id);
	}

	@PatchMapping("/{id}")
	DestinationView update(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody DestinationChanges body) {
		return this.destinations.update(caller.companyId(), id, body.state() == null ? null : body.state().value(),
				body.maxPerSecond());
	}

}
