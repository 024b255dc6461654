package io.journeys.journey;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * When a {@code wait_until} step is due: the first instant after the enrollment entered
 * it at which the wall clock of the zone reads the step's time, on one of its days. A
 * local time in a spring-forward gap is the first instant after the gap (02:30 in a 02:00
 * to 03:00 gap is 03:00); one that occurs twice is the first of the two.
 */
public final class LocalTimes {

	/**
	 * A day skipped whole (Pacific/Apia, 2011-12-30) still leaves a day of each name in
	 * 8.
	 */
	private static final int DAYS_LOOKED_AT = 8;

	private LocalTimes() {
	}

	/** A {@code wait_until} step's rule: its time, days (empty: every day) and spread. */
	public record Rule(LocalTime time, Set<DayOfWeek> days, Duration spread) {

		public static Rule of(Step step) {
			Set<DayOfWeek> days = step.days() == null ? Set.of()
					: step.days().stream().map(LocalTimes::day).collect(Collectors.toUnmodifiableSet());
			return new Rule(LocalTime.parse(step.time()), days,
					step.spread() == null ? Duration.ZERO : Duration.parse(step.spread()));
		}

		/** Before the spread. */
		public Instant next(ZoneId zone, Instant after) {
			LocalDate date = LocalDateTime.ofInstant(after, zone).toLocalDate();
			for (int day = 0; day <= DAYS_LOOKED_AT; day++) {
				LocalDate candidate = date.plusDays(day);
				if (!this.days.isEmpty() && !this.days.contains(candidate.getDayOfWeek())) {
					continue;
				}
				Instant at = resolve(candidate.atTime(this.time), zone);
				if (at.isAfter(after)) {
					return at;
				}
			}
			throw new IllegalStateException("No " + this.time + " on " + this.days + " in " + zone + " after " + after);
		}

		/** With the enrollment's share of the spread. */
		public Instant due(ZoneId zone, Instant after, UUID contactId, UUID journeyId, String stepId) {
			return next(zone, after).plus(spreadOffset(contactId, journeyId, stepId));
		}

		public Duration spreadOffset(UUID contactId, UUID journeyId, String stepId) {
			return Duration.ofMillis(
					Shares.scale(Shares.bits(contactId, journeyId, stepId, Shares.SPREAD), this.spread.toMillis()));
		}

	}

	/** The zone a step waits in: its own, else the contact's, else the journey's. */
	public static ZoneId zone(Step step, @Nullable String contactZone, @Nullable String journeyZone) {
		String name = step.timeZone() != null && !Step.CONTACT_ZONE.equals(step.timeZone()) ? step.timeZone()
				: contactZone != null ? contactZone : journeyZone != null ? journeyZone : "UTC";
		return zoneOf(name);
	}

	/**
	 * A stored zone name; one this JVM no longer knows reads as UTC rather than failing a
	 * pass.
	 */
	public static ZoneId zoneOf(String name) {
		try {
			return ZoneId.of(name);
		}
		catch (DateTimeException ex) {
			return ZoneOffset.UTC;
		}
	}

	/**
	 * The instant the wall clock of {@code zone} reads {@code local}, by the rules above.
	 */
	static Instant resolve(LocalDateTime local, ZoneId zone) {
		ZoneOffsetTransition transition = zone.getRules().getTransition(local);
		if (transition != null && transition.isGap()) {
			return transition.getInstant();
		}
		// in an overlap atZone takes the earlier offset, that is the first of the two
		return local.atZone(zone).toInstant();
	}

	static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

	static DayOfWeek day(String name) {
		return DayOfWeek.of(DAY_NAMES.indexOf(name.toLowerCase(Locale.ROOT)) + 1);
	}

}
