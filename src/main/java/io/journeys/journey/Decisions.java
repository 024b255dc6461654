package io.journeys.journey;

/**
 * The way a decision sent an enrollment, as the timeline keeps it: {@code case:<i>} (the
 * i-th case of a branch held), {@code otherwise}, or {@code path:<i>} (a split's path).
 */
public final class Decisions {

	public static final String OTHERWISE = "otherwise";

	private Decisions() {
	}

	public static String branchCase(int index) {
		return "case:" + index;
	}

	public static String path(int index) {
		return "path:" + index;
	}

}
