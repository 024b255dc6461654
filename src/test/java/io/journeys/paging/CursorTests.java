package io.journeys.paging;

import java.time.Instant;
import java.util.UUID;

import io.journeys.persistence.Keyset;
import io.journeys.validation.InvalidParameters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CursorTests {

	@Test
	void roundTrips() {
		Keyset position = new Keyset(Instant.parse("2026-11-27T10:15:30.123456Z"), UUID.randomUUID());
		assertThat(Cursor.decode(Cursor.encode(position))).isEqualTo(position);
	}

	@Test
	void refusesWhatItDidNotWrite() {
		for (String bad : new String[] { "", "abc", "!!!", "MTIz", "MS4yLjM" }) {
			assertThatThrownBy(() -> Cursor.decode(bad)).isInstanceOf(InvalidParameters.class);
		}
	}

	@Test
	void pageQueryChecksLimit() {
		assertThat(PageQuery.of(null, null).limit()).isEqualTo(50);
		assertThat(PageQuery.of("100", null).limit()).isEqualTo(100);
		for (String bad : new String[] { "0", "101", "-1", "abc", "1.5", "99999999999" }) {
			assertThatThrownBy(() -> PageQuery.of(bad, null)).isInstanceOf(InvalidParameters.class);
		}
	}

}
