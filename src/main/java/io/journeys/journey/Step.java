package io.journeys.journey;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A {@code wait} of an ISO-8601 {@code duration} or a {@code webhook} POSTed to
 * {@code url}; its {@code id} survives edits of the steps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Step(String id, String type, @Nullable String duration, @Nullable String url) {

	public static final String WAIT = "wait";

	public static final String WEBHOOK = "webhook";

	@JsonIgnore
	public boolean isWait() {
		return WAIT.equals(this.type);
	}

	@JsonIgnore
	public boolean isWebhook() {
		return WEBHOOK.equals(this.type);
	}

	public static @Nullable List<Step> listOf(@Nullable String json) {
		return Steps.read(json);
	}

	/** Zero for any step but a wait: it is due when entered. */
	@JsonIgnore
	public Duration delay() {
		return isWait() && this.duration != null ? Duration.parse(this.duration) : Duration.ZERO;
	}

}
