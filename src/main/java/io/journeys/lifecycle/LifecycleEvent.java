package io.journeys.lifecycle;

import java.util.Arrays;
import java.util.List;

/** The types a subscription can ask for, by their names on the wire. */
public enum LifecycleEvent {

	ENROLLMENT_ENTERED("enrollment.entered"),

	ENROLLMENT_COMPLETED("enrollment.completed"),

	/** With the enrollment's {@code exit_reason}. */
	ENROLLMENT_EXITED("enrollment.exited"),

	/**
	 * A webhook step's call failed; the enrollment stays at the step until its last
	 * attempt.
	 */
	ENROLLMENT_STEP_FAILED("enrollment.step_failed"),

	/** Company-wide: sent to every subscription with the type, whatever its journeys. */
	DESTINATION_PAUSED("destination.paused"),

	/** Company-wide, as {@link #DESTINATION_PAUSED}. */
	DESTINATION_RESUMED("destination.resumed");

	static final List<String> NAMES = Arrays.stream(values()).map(LifecycleEvent::type).toList();

	private final String type;

	LifecycleEvent(String type) {
		this.type = type;
	}

	public String type() {
		return this.type;
	}

}
