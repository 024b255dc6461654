package io.journeys.persistence;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ids of one statement's rows: version 7, RFC variant, the statement's time, in
 * order.
 */
class IdBlockTests {

	@RepeatedTest(200)
	void rowsOfABlockAreVersion7IdsOfItsMillisecondInRowOrder() {
		Instant now = Instant.parse("2026-11-28T12:34:56.789123Z");
		IdBlock block = IdBlock.at(now);
		UUID first = id(block, 1);
		UUID millionth = id(block, 1_000_000);
		for (UUID id : new UUID[] { first, millionth }) {
			assertThat(id.version()).isEqualTo(7);
			assertThat(id.variant()).isEqualTo(2);
			assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
		}
		assertThat(millionth.getLeastSignificantBits() - first.getLeastSignificantBits()).isEqualTo(999_999);
		assertThat(first.toString()).isLessThan(millionth.toString());
	}

	/** What the statements compute in SQL: prefix, then the hex of base + n. */
	private static UUID id(IdBlock block, long ordinal) {
		String hex = block.prefix() + "%016x".formatted(block.base() + ordinal);
		return UUID.fromString(hex.replaceFirst("(\\w{8})(\\w{4})(\\w{4})(\\w{4})(\\w{12})", "$1-$2-$3-$4-$5"));
	}

}
