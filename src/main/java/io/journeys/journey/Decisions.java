package io.journeys.journey;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The way a decision sent an enrollment, as the timeline keeps it: {@code case:<i>} (the
 * i-th case of a branch held), {@code otherwise}, or {@code path:<i>} (a split's path).
 */
public final class Decisions {

	/**
	 * A way as answers show it: {@code taken} is {@code case}, {@code otherwise},
	 * {@code path} or (in a preview) {@code timeout}; {@code index} the case's or path's
	 * index; {@code next} the step it led to, or {@code end}.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Way(String taken, @Nullable Integer index, String next) {

		/** A way as {@link Decisions} writes it. */
		public static Way of(String way, String next) {
			int colon = way.indexOf(':');
			return colon < 0 ? new Way(way, null, next)
					: new Way(way.substring(0, colon), Integer.valueOf(way.substring(colon + 1)), next);
		}

	}

	public static final String OTHERWISE = "otherwise";

	public static final String TIMEOUT = "timeout";

	private Decisions() {
	}

	public static String branchCase(int index) {
		return "case:" + index;
	}

	public static String path(int index) {
		return "path:" + index;
	}

}
