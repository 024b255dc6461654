package io.journeys.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock tests can set and move; it follows the system clock until set. Like the
 * application's clock it tells whole microseconds.
 */
public final class MutableClock extends Clock {

	private volatile Instant fixed;

	public void set(Instant instant) {
		this.fixed = instant.truncatedTo(ChronoUnit.MICROS);
	}

	public void advance(Duration duration) {
		this.fixed = instant().plus(duration).truncatedTo(ChronoUnit.MICROS);
	}

	public void reset() {
		this.fixed = null;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		Instant value = this.fixed;
		return value == null ? Instant.now().truncatedTo(ChronoUnit.MICROS) : value;
	}

}
