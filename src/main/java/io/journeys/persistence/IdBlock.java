package io.journeys.persistence;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * UUIDv7 ids for one set-based statement, row {@code n} getting {@code base + n}: cheaper
 * than random ids (bench/results/2026-11-28-schema-cost-v6.md), and routable by Citus.
 *
 * @param prefix the first 16 hex digits: time, version 7 and 12 random bits
 * @param base the last 64 bits: variant {@code 10}, a zero and 61 random bits
 */
public record IdBlock(String prefix, long base) {

	/**
	 * The ids a block is taken to span, {@link #first()} to {@link #last()}: more than
	 * any statement writes; another block's id falls in it only with the same
	 * millisecond, random bits and a base within 2<sup>40</sup>.
	 */
	public static final long SIZE = 1L << 40;

	public static IdBlock at(Instant now) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
		long high = (millis << 16) | 0x7000 | random.nextInt(0x1000);
		return new IdBlock("%016x".formatted(high), 0x8000_0000_0000_0000L | (random.nextLong() >>> 3));
	}

	/** Row {@code ordinal}'s id, for statements that send ids as values. */
	public UUID id(long ordinal) {
		return new UUID(Long.parseUnsignedLong(this.prefix, 16), this.base + ordinal);
	}

	/**
	 * Below every id made at or after {@code time}: its millisecond, then zeros; a time
	 * before 1970 is below every id. With it, a search by time bounds a primary key of
	 * these ids.
	 */
	public static UUID firstAt(Instant time) {
		return new UUID((Math.max(0, time.toEpochMilli()) & 0xFFFF_FFFF_FFFFL) << 16, 0);
	}

	/** Row 1's id: the lowest a statement numbering its rows from 1 gives. */
	public UUID first() {
		return id(1);
	}

	/** The highest id of the span this block is taken to cover. */
	public UUID last() {
		return id(SIZE);
	}

	public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
		return statement.param("idPrefix", this.prefix).param("idBase", this.base);
	}

}
