package io.journeys.event;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.journeys.auth.ApiCaller;
import io.journeys.paging.Page;
import io.journeys.paging.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class EventController {

	private final EventService events;

	EventController(EventService events) {
		this.events = events;
	}

	record EventBatch(@NotNull @NotEmpty(message = "{journeys.empty}") @Size(max = EventService.MAX_EVENTS,
			message = "{journeys.too-many}") @Valid @Nullable List<NewEvent> events) {
	}

	@PostMapping("/v1/events")
	EventBatchResult accept(@AuthenticationPrincipal ApiCaller caller, @RequestBody EventBatch body) {
		return this.events.accept(caller.companyId(), body.events());
	}

	@GetMapping("/v1/contacts/{id}/events")
	Page<EventView> list(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id, PageQuery query) {
		return Page.of(this.events.page(caller.companyId(), id, query), query, EventView::position,
				"/v1/contacts/" + id + "/events", Map.of());
	}

}
