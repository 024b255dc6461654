package io.journeys.destination;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What the runner may call at a destination now: {@code OPEN} as many as it likes,
 * {@code LIMITED} as many as the bucket gives ({@link Destinations#take}), {@code PROBE}
 * one call whose answer decides whether the destination resumes, {@code CLOSED} none.
 */
public record Gate(@Nullable UUID destinationId, Kind kind, @Nullable Integer maxPerSecond) {

	public enum Kind {

		OPEN, LIMITED, PROBE, CLOSED

	}

	static Gate open(@Nullable UUID destinationId) {
		return new Gate(destinationId, Kind.OPEN, null);
	}

	/**
	 * How many enrollments to claim: the bucket then decides how many of them are called.
	 */
	public int claimLimit(int batch) {
		return switch (this.kind) {
			case CLOSED -> 0;
			case PROBE -> 1;
			case OPEN, LIMITED -> batch;
		};
	}

	public boolean probe() {
		return this.kind == Kind.PROBE;
	}

}
