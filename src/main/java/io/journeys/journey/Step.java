package io.journeys.journey;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One step of a journey, as stored and as the API shows it: a {@code wait} of
 * {@code duration} (ISO-8601), or a {@code webhook} POSTed to {@code url}. Its {@code id}
 * stays the same across edits of the journey's steps.
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

	/** The steps stored as {@code json} (a journey's {@code steps} column). */
	public static @Nullable List<Step> listOf(@Nullable String json) {
		return Steps.read(json);
	}

	/** How long a wait lasts; zero for any other step, which is due when entered. */
	@JsonIgnore
	public Duration delay() {
		return isWait() && this.duration != null ? Duration.parse(this.duration) : Duration.ZERO;
	}

}
