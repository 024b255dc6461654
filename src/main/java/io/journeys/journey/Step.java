package io.journeys.journey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A step of a journey, as stored and shown: a {@code wait} of an ISO-8601
 * {@code duration}, a {@code webhook} POSTed to {@code url}, a {@code wait_for_event} for
 * {@code eventName} (matching {@code where}) for at most {@code timeout}, a
 * {@code branch} on {@code cases} (else {@code otherwise}), a {@code split} over weighted
 * {@code paths}, or a {@code wait_until} a local {@code time} (see {@link LocalTimes}).
 * Its {@code id} survives edits of the steps. {@code next} names the step that follows
 * ({@link #END} completes), by default the next in the array.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Step(String id, String type, @Nullable String duration, @Nullable String url, @Nullable String eventName,
		@Nullable JsonNode where, @Nullable String timeout, @Nullable String next, @Nullable String timeoutNext,
		@Nullable List<Case> cases, @Nullable String otherwise, @Nullable List<Path> paths, @Nullable String time,
		@Nullable List<String> days, @Nullable String timeZone, @Nullable String spread) {

	public static final String WAIT = "wait";

	public static final String WEBHOOK = "webhook";

	public static final String WAIT_FOR_EVENT = "wait_for_event";

	public static final String BRANCH = "branch";

	public static final String SPLIT = "split";

	public static final String WAIT_UNTIL = "wait_until";

	/** As {@code next}: the enrollment completes. */
	public static final String END = "end";

	/** A {@code wait_until} step's {@code time_zone} that reads the contact's. */
	public static final String CONTACT_ZONE = "contact";

	/** A way out of a {@code branch}: taken when {@code when} holds. */
	public record Case(JsonNode when, String next) {
	}

	/** A way out of a {@code split}, taken by a share proportional to its weight. */
	public record Path(int weight, String next) {
	}

	public static Step wait(String id, String duration) {
		return new Step(id, WAIT, duration, null, null, null, null, null, null, null, null, null, null, null, null,
				null);
	}

	public static Step webhook(String id, String url) {
		return new Step(id, WEBHOOK, null, url, null, null, null, null, null, null, null, null, null, null, null, null);
	}

	@JsonIgnore
	public boolean isWait() {
		return WAIT.equals(this.type);
	}

	@JsonIgnore
	public boolean isWebhook() {
		return WEBHOOK.equals(this.type);
	}

	@JsonIgnore
	public boolean isWaitForEvent() {
		return WAIT_FOR_EVENT.equals(this.type);
	}

	@JsonIgnore
	public boolean isBranch() {
		return BRANCH.equals(this.type);
	}

	@JsonIgnore
	public boolean isSplit() {
		return SPLIT.equals(this.type);
	}

	@JsonIgnore
	public boolean isWaitUntil() {
		return WAIT_UNTIL.equals(this.type);
	}

	/** A branch or a split: it sends each enrollment one of several ways at once. */
	@JsonIgnore
	public boolean decides() {
		return isBranch() || isSplit();
	}

	public static @Nullable List<Step> listOf(@Nullable String json) {
		return Steps.read(json);
	}

	/**
	 * How long an enrollment stays before it is due: zero for a webhook, a branch or a
	 * split; a {@code wait_until}'s due time is {@linkplain LocalTimes computed per
	 * zone}.
	 */
	@JsonIgnore
	public Duration delay() {
		if (isWait() && this.duration != null) {
			return Duration.parse(this.duration);
		}
		return isWaitForEvent() && this.timeout != null ? Duration.parse(this.timeout) : Duration.ZERO;
	}

	/**
	 * The step after {@code steps.get(at)}: its {@code next}, else the following one;
	 * empty when the enrollment completes. {@code at} -1 is the start.
	 */
	public static Optional<Step> after(List<Step> steps, int at) {
		String next = at < 0 ? null : steps.get(at).next();
		return follow(steps, at, next);
	}

	/** Where a {@code wait_for_event} goes when its timeout passed. */
	public static Optional<Step> afterTimeout(List<Step> steps, int at) {
		Step step = steps.get(at);
		return follow(steps, at, step.timeoutNext() != null ? step.timeoutNext() : step.next());
	}

	/** Where a branch's case, its {@code otherwise} or a split's path leads. */
	public static Optional<Step> along(List<Step> steps, int at, @Nullable String next) {
		return follow(steps, at, next);
	}

	/**
	 * Every way out of {@code steps.get(at)}, in order: a branch's cases then its
	 * {@code otherwise}, a split's paths, a wait for an event's {@code next} then
	 * {@code timeout_next}, else its {@code next}. Each is a step id, {@link #END}, or
	 * null (the following step of the array).
	 */
	@JsonIgnore
	public List<@Nullable String> ways() {
		ArrayList<@Nullable String> ways = new ArrayList<>();
		if (isBranch()) {
			this.cases.forEach(c -> ways.add(c.next()));
			ways.add(this.otherwise);
		}
		else if (isSplit()) {
			this.paths.forEach(path -> ways.add(path.next()));
		}
		else {
			ways.add(this.next);
			if (isWaitForEvent() && this.timeoutNext != null) {
				ways.add(this.timeoutNext);
			}
		}
		return ways;
	}

	private static Optional<Step> follow(List<Step> steps, int at, @Nullable String next) {
		if (next == null) {
			return at + 1 < steps.size() ? Optional.of(steps.get(at + 1)) : Optional.empty();
		}
		return steps.stream().filter(step -> step.id().equals(next)).findFirst();
	}

}
