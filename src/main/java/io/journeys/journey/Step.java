package io.journeys.journey;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@code wait} of an ISO-8601 {@code duration}, a {@code webhook} POSTed to
 * {@code url}, or a {@code wait_for_event} for {@code eventName} (matching {@code where})
 * for at most {@code timeout}; its {@code id} survives edits of the steps. {@code next}
 * names the step that follows ({@link #END} completes), by default the next in the array.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Step(String id, String type, @Nullable String duration, @Nullable String url, @Nullable String eventName,
		@Nullable JsonNode where, @Nullable String timeout, @Nullable String next, @Nullable String timeoutNext) {

	public static final String WAIT = "wait";

	public static final String WEBHOOK = "webhook";

	public static final String WAIT_FOR_EVENT = "wait_for_event";

	/** As {@code next}: the enrollment completes. */
	public static final String END = "end";

	public static Step wait(String id, String duration) {
		return new Step(id, WAIT, duration, null, null, null, null, null, null);
	}

	public static Step webhook(String id, String url) {
		return new Step(id, WEBHOOK, null, url, null, null, null, null, null);
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

	public static @Nullable List<Step> listOf(@Nullable String json) {
		return Steps.read(json);
	}

	/** How long an enrollment stays before it is due: zero for a webhook. */
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

	private static Optional<Step> follow(List<Step> steps, int at, @Nullable String next) {
		if (next == null) {
			return at + 1 < steps.size() ? Optional.of(steps.get(at + 1)) : Optional.empty();
		}
		return steps.stream().filter(step -> step.id().equals(next)).findFirst();
	}

}
