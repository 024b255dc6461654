package io.journeys.journey;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

final class Steps {

	static final int MAX_STEPS = 100;

	static final int MAX_URL = 2048;

	static final Duration SHORTEST_WAIT = Duration.ofSeconds(1);

	static final Duration LONGEST_WAIT = Duration.ofDays(365);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private Steps() {
	}

	/** {@code id} keeps a step, and the enrollments in it, through an edit. */
	record StepInput(@Nullable String id, @NotBlank String type, @Nullable String duration, @Nullable String url) {
	}

	static List<Step> check(List<StepInput> sent, @Nullable List<Step> current, boolean allowHttp) {
		ValidationErrors errors = new ValidationErrors();
		Set<String> known = new HashSet<>();
		if (current != null) {
			current.forEach(step -> known.add(step.id()));
		}
		Set<String> kept = new HashSet<>();
		List<Step> steps = new ArrayList<>();
		for (int i = 0; i < sent.size(); i++) {
			StepInput input = sent.get(i);
			String prefix = "steps[" + i + "].";
			String id = input.id();
			if (id != null && !known.contains(id)) {
				errors.add(prefix + "id", "does not name a step of this journey");
			}
			else if (id != null && !kept.add(id)) {
				errors.add(prefix + "id", "is taken by another step");
			}
			String type = input.type().strip().toLowerCase(Locale.ROOT);
			String stepId = id != null ? id : newId();
			if (type.equals(Step.WAIT)) {
				steps.add(new Step(stepId, Step.WAIT, checkWait(input, prefix, errors), null));
			}
			else if (type.equals(Step.WEBHOOK)) {
				steps.add(new Step(stepId, Step.WEBHOOK, null, checkWebhook(input, prefix, allowHttp, errors)));
			}
			else {
				errors.add(prefix + "type", Messages.NOT_INCLUDED);
			}
		}
		errors.throwIfAny();
		return List.copyOf(steps);
	}

	private static @Nullable String checkWait(StepInput input, String prefix, ValidationErrors errors) {
		if (input.url() != null) {
			errors.add(prefix + "url", "must be blank for a wait step");
		}
		String text = input.duration();
		if (text == null || text.isBlank()) {
			errors.add(prefix + "duration", Messages.BLANK);
			return null;
		}
		Duration duration;
		try {
			duration = Duration.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			errors.add(prefix + "duration", "is not an ISO-8601 duration in days, hours, minutes and seconds");
			return null;
		}
		if (duration.compareTo(SHORTEST_WAIT) < 0) {
			errors.add(prefix + "duration", "must be at least 1 second");
		}
		else if (duration.compareTo(LONGEST_WAIT) > 0) {
			errors.add(prefix + "duration", "must be at most 365 days");
		}
		return duration.toString();
	}

	private static @Nullable String checkWebhook(StepInput input, String prefix, boolean allowHttp,
			ValidationErrors errors) {
		if (input.duration() != null) {
			errors.add(prefix + "duration", "must be blank for a webhook step");
		}
		String url = input.url();
		if (url == null || url.isBlank()) {
			errors.add(prefix + "url", Messages.BLANK);
			return null;
		}
		url = url.strip();
		if (url.length() > MAX_URL) {
			errors.add(prefix + "url", Messages.TOO_LONG.replace("{max}", String.valueOf(MAX_URL)));
			return null;
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			errors.add(prefix + "url", Messages.INVALID);
			return null;
		}
		String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
		if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getRawUserInfo() != null
				|| uri.getRawFragment() != null) {
			errors.add(prefix + "url", Messages.INVALID);
		}
		else if (scheme.equals("http") && !allowHttp) {
			errors.add(prefix + "url", "must be an https URL");
		}
		return url;
	}

	private static String newId() {
		byte[] bytes = new byte[8];
		RANDOM.nextBytes(bytes);
		return "step_" + HexFormat.of().formatHex(bytes);
	}

	static @Nullable List<Step> read(@Nullable String json) {
		return json == null ? null : JSON.readValue(json, new TypeReference<List<Step>>() {
		});
	}

	static String write(List<Step> steps) {
		return JSON.writeValueAsString(steps);
	}

}
