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
import java.util.regex.Pattern;

import io.journeys.condition.Condition.Subject;
import io.journeys.condition.Conditions;
import io.journeys.validation.Messages;
import io.journeys.validation.ValidationErrors;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
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

	private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	/**
	 * {@code id} keeps a step, and the enrollments in it, through an edit; an id not yet
	 * in the journey names a new step.
	 */
	record StepInput(@Nullable String id, @NotBlank String type, @Nullable String duration, @Nullable String url,
			@Nullable String eventName, @Nullable JsonNode where, @Nullable String timeout, @Nullable String next,
			@Nullable String timeoutNext) {
	}

	/** The steps, when {@code errors} gained nothing. */
	static List<Step> check(List<StepInput> sent, boolean allowHttp, ValidationErrors errors) {
		int before = errors.size();
		Set<String> taken = new HashSet<>();
		List<Step> steps = new ArrayList<>();
		for (int i = 0; i < sent.size(); i++) {
			StepInput input = sent.get(i);
			String prefix = "steps[" + i + "].";
			String id = input.id();
			if (id != null && (!STEP_ID.matcher(id).matches() || id.equals(Step.END))) {
				errors.add(prefix + "id", "must be 1 to 64 letters, digits, _ or -, and not end");
			}
			else if (id != null && !taken.add(id)) {
				errors.add(prefix + "id", "is taken by another step");
			}
			String type = input.type().strip().toLowerCase(Locale.ROOT);
			String stepId = id != null ? id : newId();
			if (!type.equals(Step.WAIT_FOR_EVENT)) {
				refuse(input.eventName(), "event_name", type, prefix, errors);
				refuse(input.where(), "where", type, prefix, errors);
				refuse(input.timeout(), "timeout", type, prefix, errors);
				refuse(input.timeoutNext(), "timeout_next", type, prefix, errors);
			}
			if (type.equals(Step.WAIT)) {
				refuse(input.url(), "url", type, prefix, errors);
				steps.add(new Step(stepId, Step.WAIT, checkDuration(input.duration(), "duration", prefix, errors), null,
						null, null, null, input.next(), null));
			}
			else if (type.equals(Step.WEBHOOK)) {
				refuse(input.duration(), "duration", type, prefix, errors);
				steps.add(new Step(stepId, Step.WEBHOOK, null, checkWebhook(input, prefix, allowHttp, errors), null,
						null, null, input.next(), null));
			}
			else if (type.equals(Step.WAIT_FOR_EVENT)) {
				refuse(input.duration(), "duration", type, prefix, errors);
				refuse(input.url(), "url", type, prefix, errors);
				String name = EventRule.checkName(input.eventName(), prefix + "event_name", errors);
				if (input.where() != null) {
					Conditions.parse(input.where(), prefix + "where", Subject.PROPERTY, errors);
				}
				steps.add(new Step(stepId, Step.WAIT_FOR_EVENT, null, null, name, input.where(),
						checkDuration(input.timeout(), "timeout", prefix, errors), input.next(), input.timeoutNext()));
			}
			else {
				errors.add(prefix + "type", Messages.NOT_INCLUDED);
			}
		}
		if (errors.size() == before) {
			StepGraph.check(steps, errors);
		}
		return List.copyOf(steps);
	}

	private static void refuse(@Nullable Object sent, String field, String type, String prefix,
			ValidationErrors errors) {
		if (sent != null) {
			errors.add(prefix + field, "must be blank for a " + type + " step");
		}
	}

	private static @Nullable String checkDuration(@Nullable String text, String field, String prefix,
			ValidationErrors errors) {
		if (text == null || text.isBlank()) {
			errors.add(prefix + field, Messages.BLANK);
			return null;
		}
		Duration duration;
		try {
			duration = Duration.parse(text.strip());
		}
		catch (DateTimeParseException ex) {
			errors.add(prefix + field, "is not an ISO-8601 duration in days, hours, minutes and seconds");
			return null;
		}
		if (duration.compareTo(SHORTEST_WAIT) < 0) {
			errors.add(prefix + field, "must be at least 1 second");
		}
		else if (duration.compareTo(LONGEST_WAIT) > 0) {
			errors.add(prefix + field, "must be at most 365 days");
		}
		return duration.toString();
	}

	private static @Nullable String checkWebhook(StepInput input, String prefix, boolean allowHttp,
			ValidationErrors errors) {
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
