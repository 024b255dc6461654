package io.journeys.journey;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.journeys.journey.LocalTimes.Rule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The due time of a {@code wait_until}: the next local time in the zone, across the gaps
 * and overlaps of daylight saving time, a 30-minute shift and a skipped day.
 */
class LocalTimesTests {

	static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

	static final ZoneId LONDON = ZoneId.of("Europe/London");

	static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

	static final ZoneId APIA = ZoneId.of("Pacific/Apia");

	static Rule at(String time, String... days) {
		Step step = new Step("s", Step.WAIT_UNTIL, null, null, null, null, null, null, null, null, null, null, time,
				days.length == 0 ? null : List.of(days), null, null);
		return Rule.of(step);
	}

	static Instant local(ZoneId zone, String local) {
		return LocalDateTime.parse(local).atZone(zone).toInstant();
	}

	static ZonedDateTime due(Rule rule, ZoneId zone, String enteredLocal) {
		return rule.next(zone, local(zone, enteredLocal)).atZone(zone);
	}

	@Test
	void theNextSuchTimeTodayOrTomorrow() {
		assertThat(due(at("09:00"), NEW_YORK, "2026-06-10T08:59:59"))
			.isEqualTo("2026-06-10T09:00-04:00[America/New_York]");
		assertThat(due(at("09:00"), NEW_YORK, "2026-06-10T09:00:00")).as("exactly at the time: the next day")
			.isEqualTo("2026-06-11T09:00-04:00[America/New_York]");
		assertThat(due(at("09:00"), NEW_YORK, "2026-06-10T17:00:00"))
			.isEqualTo("2026-06-11T09:00-04:00[America/New_York]");
	}

	@Test
	void onlyOnTheDaysNamed() {
		// 2026-06-12 is a Friday
		assertThat(due(at("09:00", "mon"), LONDON, "2026-06-12T10:00:00"))
			.isEqualTo("2026-06-15T09:00+01:00[Europe/London]");
		assertThat(due(at("09:00", "fri", "mon"), LONDON, "2026-06-12T08:00:00"))
			.isEqualTo("2026-06-12T09:00+01:00[Europe/London]");
		assertThat(due(at("09:00", "fri"), LONDON, "2026-06-12T09:30:00")).as("a week later")
			.isEqualTo("2026-06-19T09:00+01:00[Europe/London]");
	}

	@Test
	void newYorkSpringForwardGapMovesToTheFirstInstantAfterIt() {
		// 2026-03-08 02:00 EST becomes 03:00 EDT
		ZonedDateTime due = due(at("02:30"), NEW_YORK, "2026-03-07T12:00:00");
		assertThat(due.toLocalDateTime()).isEqualTo("2026-03-08T03:00");
		assertThat(due.getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
		assertThat(due.toInstant()).isEqualTo("2026-03-08T07:00:00Z");
		// an ordinary time on the day of the change keeps its wall-clock time
		assertThat(due(at("09:00"), NEW_YORK, "2026-03-07T10:00:00").toInstant()).isEqualTo("2026-03-08T13:00:00Z");
	}

	@Test
	void newYorkFallBackOverlapTakesTheFirstOfTheTwo() {
		// 2026-11-01 01:00-02:00 happens twice, first in EDT (-04:00)
		ZonedDateTime due = due(at("01:30"), NEW_YORK, "2026-10-31T12:00:00");
		assertThat(due.toInstant()).isEqualTo("2026-11-01T05:30:00Z");
		assertThat(due.getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
		// entered during the first 01:30-02:00, the second 01:40 is not a new day's time
		Instant firstPass = Instant.parse("2026-11-01T05:35:00Z");
		assertThat(at("01:40").next(NEW_YORK, firstPass)).isEqualTo("2026-11-01T05:40:00Z");
		Instant secondPass = Instant.parse("2026-11-01T06:35:00Z");
		assertThat(at("01:40").next(NEW_YORK, secondPass)).as("after the first 01:40, the next is tomorrow's")
			.isEqualTo("2026-11-02T06:40:00Z");
	}

	@Test
	void londonGapAndOverlap() {
		// 2026-03-29 01:00 GMT becomes 02:00 BST; 2026-10-25 02:00 BST becomes 01:00 GMT
		assertThat(due(at("01:30"), LONDON, "2026-03-28T20:00:00").toInstant()).isEqualTo("2026-03-29T01:00:00Z");
		assertThat(due(at("01:30"), LONDON, "2026-10-24T20:00:00").toInstant()).isEqualTo("2026-10-25T00:30:00Z");
	}

	@Test
	void lordHoweShiftsByHalfAnHour() {
		// 2026-10-04 02:00 (+10:30) becomes 02:30 (+11:00)
		ZonedDateTime gap = due(at("02:15"), LORD_HOWE, "2026-10-03T12:00:00");
		assertThat(gap.toLocalDateTime()).isEqualTo("2026-10-04T02:30");
		assertThat(gap.getOffset()).isEqualTo(ZoneOffset.ofHours(11));
		assertThat(gap.toInstant()).isEqualTo("2026-10-03T15:30:00Z");
		// 2026-04-05 02:00 (+11:00) becomes 01:30 (+10:30): 01:45 happens twice
		ZonedDateTime overlap = due(at("01:45"), LORD_HOWE, "2026-04-04T12:00:00");
		assertThat(overlap.getOffset()).isEqualTo(ZoneOffset.ofHours(11));
		assertThat(overlap.toInstant()).isEqualTo("2026-04-04T14:45:00Z");
	}

	@Test
	void apiaSkippedTheThirtiethOfDecember2011() {
		// 2011-12-29 24:00 (-10:00) was followed by 2011-12-31 00:00 (+14:00)
		Instant thursday = local(APIA, "2011-12-29T10:00:00");
		assertThat(at("09:00").next(APIA, thursday)).as("the skipped day's 09:00 is the first instant after the gap")
			.isEqualTo("2011-12-30T10:00:00Z");
		assertThat(at("09:00").next(APIA, thursday).atZone(APIA).toLocalDateTime()).isEqualTo("2011-12-31T00:00");
		assertThat(at("09:00", "sat").next(APIA, thursday).atZone(APIA).toLocalDateTime())
			.isEqualTo("2011-12-31T09:00");
		assertThat(at("09:00", "fri").next(APIA, thursday)).as("a Friday that never was: the first instant after")
			.isEqualTo("2011-12-30T10:00:00Z");
		Instant saturday = local(APIA, "2011-12-31T10:00:00");
		assertThat(at("09:00", "fri").next(APIA, saturday).atZone(APIA).toLocalDateTime())
			.isEqualTo("2012-01-06T09:00");
	}

	@Test
	void theSpreadIsAFixedShareOfItPerContactAndStep() {
		Step step = new Step("morning", Step.WAIT_UNTIL, null, null, null, null, null, null, null, null, null, null,
				"09:00", null, null, "PT15M");
		Rule rule = Rule.of(step);
		UUID journey = UUID.randomUUID();
		Random random = new Random(22);
		long[] perMinute = new long[15];
		for (int i = 0; i < 30_000; i++) {
			UUID contact = new UUID(random.nextLong(), random.nextLong());
			Duration offset = rule.spreadOffset(contact, journey, step.id());
			assertThat(offset).isBetween(Duration.ZERO, Duration.ofMinutes(15).minusMillis(1));
			assertThat(rule.spreadOffset(contact, journey, step.id())).isEqualTo(offset);
			perMinute[(int) offset.toMinutes()]++;
		}
		for (long minute : perMinute) {
			assertThat(minute).isBetween(1_800L, 2_200L);
		}
	}

}
