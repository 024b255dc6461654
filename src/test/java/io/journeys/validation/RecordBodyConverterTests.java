package io.journeys.validation;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-place UTF-8 check agrees with the JDK's strict decoder. */
class RecordBodyConverterTests {

	@Test
	void utf8CheckAgreesWithTheStrictDecoderOnRandomBytes() {
		Random random = new Random(20_261_128L);
		for (int run = 0; run < 200_000; run++) {
			byte[] bytes = new byte[random.nextInt(6)];
			for (int i = 0; i < bytes.length; i++) {
				// mostly the bytes around sequence boundaries
				bytes[i] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
			}
			boolean strict;
			try {
				StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
				strict = true;
			}
			catch (java.nio.charset.CharacterCodingException ex) {
				strict = false;
			}
			assertThat(RecordBodyConverter.isUtf8(bytes)).as("%s", java.util.HexFormat.of().formatHex(bytes))
				.isEqualTo(strict);
		}
	}

	@Test
	void escapedSurrogatesMustPair() {
		assertThat(RecordBodyConverter.surrogateProblem("\"\\ud83d\\ude00\"")).isNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\\\ud800\"")).as("an escaped backslash").isNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\\\\\ud800\"")).isNotNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\ud800\"")).isNotNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\uDC00\"")).isNotNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\ud800\\u0041\"")).isNotNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\ud800")).isNotNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\\u00e9 \\n \\\" \uD83D\uDE00\"")).isNull();
		assertThat(RecordBodyConverter.surrogateProblem("\"\uD800\"")).isNotNull();
	}

}
