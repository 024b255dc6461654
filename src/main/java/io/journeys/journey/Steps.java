package io.journeys.journey;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneId;
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
import io.journeys.validation.TimeZones;
import io.journeys.validation.ValidationErrors;
import io.journeys.validation.WebhookUrls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

final class Steps {

	static final int MAX_STEPS = 100;

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
			@Nullable String timeoutNext, @Valid @Nullable List<CaseInput> cases, @Nullable String otherwise,
			@Valid @Nullable List<PathInput> paths, @Nullable String time, @Nullable List<String> days,
			@Nullable String timeZone, @Nullable String spread) {
	}

	/** A branch's case: {@code when} is checked by {@link Conditions#parse}. */
	record CaseInput(@Nullable JsonNode when, @Nullable String next) {
	}

	record PathInput(@Nullable Integer weight, @Nullable String next) {
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
			if (!type.equals(Step.BRANCH)) {
				refuse(input.cases(), "cases", type, prefix, errors);
				refuse(input.otherwise(), "otherwise", type, prefix, errors);
			}
			if (!type.equals(Step.SPLIT)) {
				refuse(input.paths(), "paths", type, prefix, errors);
			}
			if (!type.equals(Step.WAIT_UNTIL)) {
				refuse(input.time(), "time", type, prefix, errors);
				refuse(input.days(), "days", type, prefix, errors);
				refuse(input.timeZone(), "time_zone", type, prefix, errors);
				refuse(input.spread(), "spread", type, prefix, errors);
			}
			if (!type.equals(Step.WAIT)) {
				refuse(input.duration(), "duration", type, prefix, errors);
			}
			if (!type.equals(Step.WEBHOOK)) {
				refuse(input.url(), "url", type, prefix, errors);
			}
			if (type.equals(Step.BRANCH) || type.equals(Step.SPLIT)) {
				refuse(input.next(), "next", type, prefix, errors);
			}
			Step step = switch (type) {
				case Step.WAIT ->
					new Step(stepId, Step.WAIT, checkDuration(input.duration(), "duration", prefix, errors), null, null,
							null, null, input.next(), null, null, null, null, null, null, null, null);
				case Step.WEBHOOK ->
					new Step(stepId, Step.WEBHOOK, null, checkWebhook(input, prefix, allowHttp, errors), null, null,
							null, input.next(), null, null, null, null, null, null, null, null);
				case Step.WAIT_FOR_EVENT -> {
					String name = EventRule.checkName(input.eventName(), prefix + "event_name", errors);
					if (input.where() != null) {
						Conditions.parse(input.where(), prefix + "where", Subject.PROPERTY, errors);
					}
					yield new Step(stepId, Step.WAIT_FOR_EVENT, null, null, name, input.where(),
							checkDuration(input.timeout(), "timeout", prefix, errors), input.next(),
							input.timeoutNext(), null, null, null, null, null, null, null);
				}
				case Step.BRANCH -> new Step(stepId, Step.BRANCH, null, null, null, null, null, null, null,
						DecisionChecks.cases(input.cases(), prefix, errors), input.otherwise(), null, null, null, null,
						null);
				case Step.SPLIT -> new Step(stepId, Step.SPLIT, null, null, null, null, null, null, null, null, null,
						DecisionChecks.paths(input.paths(), prefix, errors), null, null, null, null);
				case Step.WAIT_UNTIL ->
					new Step(stepId, Step.WAIT_UNTIL, null, null, null, null, null, input.next(), null, null, null,
							null, checkTime(input.time(), prefix, errors), checkDays(input.days(), prefix, errors),
							checkZone(input.timeZone(), prefix, errors), checkSpread(input.spread(), prefix, errors));
				default -> {
					errors.add(prefix + "type", Messages.NOT_INCLUDED);
					yield null;
				}
			};
			if (step != null) {
				steps.add(step);
			}
		}
		if (errors.size() == before) {
			StepGraph.check(steps, errors);
		}
		return List.copyOf(steps);
	}

	static final Duration LONGEST_SPREAD = Duration.ofHours(6);

	private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

	private static @Nullable String checkTime(@Nullable String time, String prefix, ValidationErrors errors) {
		if (time == null || time.isBlank()) {
			errors.add(prefix + "time", Messages.BLANK);
			return null;
		}
		if (!TIME.matcher(time.strip()).matches()) {
			errors.add(prefix + "time", "must be a time of day as HH:MM (00:00 to 23:59)");
			return null;
		}
		return time.strip();
	}

	private static @Nullable List<String> checkDays(@Nullable List<String> days, String prefix,
			ValidationErrors errors) {
		if (days == null) {
			return null;
		}
		if (days.isEmpty()) {
			errors.add(prefix + "days", "must name at least one day");
			return null;
		}
		List<String> checked = new ArrayList<>();
		for (int i = 0; i < days.size(); i++) {
			String day = days.get(i) == null ? "" : days.get(i).strip().toLowerCase(Locale.ROOT);
			if (!LocalTimes.DAY_NAMES.contains(day)) {
				errors.add(prefix + "days[" + i + "]", "must be one of " + String.join(", ", LocalTimes.DAY_NAMES));
			}
			else if (!checked.contains(day)) {
				checked.add(day);
			}
		}
		return checked;
	}

	private static @Nullable String checkZone(@Nullable String zone, String prefix, ValidationErrors errors) {
		if (zone == null || zone.strip().equals(Step.CONTACT_ZONE)) {
			return null;
		}
		ZoneId region = TimeZones.region(zone, prefix + "time_zone", errors);
		return region == null ? null : region.getId();
	}

	private static @Nullable String checkSpread(@Nullable String spread, String prefix, ValidationErrors errors) {
		if (spread == null) {
			return null;
		}
		int before = errors.size();
		String checked = checkDuration(spread, "spread", prefix, errors);
		if (errors.size() == before && Duration.parse(checked).compareTo(LONGEST_SPREAD) > 0) {
			errors.add(prefix + "spread", "must be at most 6 hours");
			return null;
		}
		return checked;
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
		return WebhookUrls.check(input.url(), prefix + "url", allowHttp, errors);
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
