package io.journeys.persistence;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * UUIDv7 ids (RFC 9562) for the rows of one set-based statement: time and random bits are
 * picked once per statement and row {@code n} gets {@code base + n} in the last 62 bits
 * (the counter {@code rand_b} allows). Per row that is an addition and a cast, much
 * cheaper than a random id in the database (bench/results/2026-11-28-schema-cost-v6.md),
 * and, unlike a volatile function, routable by Citus. Statements in the same millisecond
 * collide only if 12 random bits agree and their 61-bit bases overlap; the primary key
 * would refuse the row.
 *
 * @param prefix the first 16 hex digits: time, version 7 and 12 random bits
 * @param base the last 64 bits before the row's number is added: variant {@code 10}, a
 * zero and 61 random bits
 */
public record IdBlock(String prefix, long base) {

	public static IdBlock at(Instant now) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
		long high = (millis << 16) | 0x7000 | random.nextInt(0x1000);
		return new IdBlock("%016x".formatted(high), 0x8000_0000_0000_0000L | (random.nextLong() >>> 3));
	}

	/**
	 * The id of row {@code ordinal}, as a statement computes it with
	 * {@code cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + ordinal) as uuid)},
	 * for statements that send their ids as values.
	 */
	public UUID id(long ordinal) {
		return new UUID(Long.parseUnsignedLong(this.prefix, 16), this.base + ordinal);
	}

	/** Binds {@code :idPrefix} and {@code :idBase}. */
	public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
		return statement.param("idPrefix", this.prefix).param("idBase", this.base);
	}

}
