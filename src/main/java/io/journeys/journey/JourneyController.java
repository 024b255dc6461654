package io.journeys.journey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.journeys.auth.ApiCaller;
import io.journeys.journey.JourneyService.EventSettings;
import io.journeys.journey.Steps.StepInput;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.NotBlankWhenSent;
import io.journeys.paging.Page;
import io.journeys.persistence.Keyset;
import io.journeys.paging.PageQuery;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/v1/journeys")
class JourneyController {

	private static final int MAX_NAME = 255;

	private final JourneyService journeys;

	private final PreviewService previews;

	JourneyController(JourneyService journeys, PreviewService previews) {
		this.journeys = journeys;
		this.previews = previews;
	}

	record NewJourney(@NotBlank @Size(max = MAX_NAME) String name,
			@Size(max = Steps.MAX_STEPS, message = "{journeys.too-many}") @Valid @Nullable List<StepInput> steps,
			@Nullable JsonNode trigger, @Nullable JsonNode goal, @Nullable String timeZone) {

		EventSettings settings() {
			return new EventSettings(this.trigger == null ? null : Optional.of(this.trigger),
					this.goal == null ? null : Optional.of(this.goal),
					this.timeZone == null ? null : Optional.of(this.timeZone));
		}

	}

	record JourneyChanges(@NotBlankWhenSent @Size(max = MAX_NAME) @Nullable String name, @Nullable JourneyState state,
			@Size(max = Steps.MAX_STEPS, message = "{journeys.too-many}") @Valid @Nullable List<StepInput> steps,
			@Nullable Optional<JsonNode> trigger, @Nullable Optional<JsonNode> goal,
			@Nullable Optional<String> timeZone) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	JourneyView create(@AuthenticationPrincipal ApiCaller caller, @RequestBody NewJourney body) {
		return this.journeys.create(caller.companyId(), body.name().strip(), body.steps(), body.settings());
	}

	@GetMapping
	Page<JourneyView> list(@AuthenticationPrincipal ApiCaller caller,
			@RequestParam(required = false) @Nullable String state, PageQuery query) {
		JourneyState wanted = state == null ? null : JourneyState.of(state)
			.orElseThrow(() -> InvalidParameters.of("state", "is not included in the list"));
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("state", state);
		return Page.of(this.journeys.page(caller.companyId(), wanted, query), query,
				journey -> new Keyset(journey.createdAt(), journey.id()), "/v1/journeys", filters);
	}

	@GetMapping("/{id}")
	JourneyView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.journeys.get(caller.companyId(), id);
	}

	@PatchMapping("/{id}")
	JourneyView update(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody JourneyChanges body) {
		String name = body.name() == null ? null : body.name().strip();
		return this.journeys.update(caller.companyId(), id, name, body.state(), body.steps(),
				new EventSettings(body.trigger(), body.goal(), body.timeZone()));
	}

	/** Reads only: nothing is written and no webhook is called. */
	@PostMapping("/{id}/preview")
	Preview preview(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody PreviewRequest body) {
		return this.previews.preview(caller.companyId(), id, body);
	}

	@PostMapping("/{id}/webhook_secret/rotate")
	JourneyService.RotatedSecret rotateSecret(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.journeys.rotateSecret(caller.companyId(), id);
	}

}
