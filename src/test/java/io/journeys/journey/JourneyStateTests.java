package io.journeys.journey;

import java.time.Instant;
import java.util.UUID;

import io.journeys.validation.InvalidParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JourneyStateTests {

	@ParameterizedTest
	@CsvSource({ "draft,on,true", "on,off,true", "off,on,true", "draft,archived,true", "on,archived,true",
			"off,archived,true", "draft,off,false", "on,draft,false", "off,draft,false", "archived,on,false",
			"archived,off,false", "archived,draft,false" })
	void transitions(String from, String to, boolean allowed) {
		assertThat(JourneyState.of(from).orElseThrow().canChangeTo(JourneyState.of(to).orElseThrow()))
			.isEqualTo(allowed);
	}

	@Test
	void refusedChangeNamesBothStatesAndChangesNothing() {
		Journey journey = new Journey(UUID.randomUUID(), "j", Instant.EPOCH);
		assertThatThrownBy(() -> journey.changeState(JourneyState.OFF, Instant.now()))
			.isInstanceOf(InvalidParameters.class)
			.satisfies(ex -> assertThat(((InvalidParameters) ex).error().toString())
				.isEqualTo("{state=[cannot change from draft to off]}"));
		assertThat(journey.view().state()).isEqualTo("draft");
	}

	@Test
	void sameStateIsANoOp() {
		Journey journey = new Journey(UUID.randomUUID(), "j", Instant.EPOCH);
		journey.changeState(JourneyState.DRAFT, Instant.now());
		assertThat(journey.view().updatedAt()).isEqualTo(Instant.EPOCH);
		journey.changeState(JourneyState.ARCHIVED, Instant.now());
		journey.changeState(JourneyState.ARCHIVED, Instant.now());
		assertThat(journey.view().state()).isEqualTo("archived");
	}

}
