package io.journeys.journey;

import java.util.Arrays;
import java.util.Optional;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/** Only {@code on} journeys take enrollments. */
public enum JourneyState {

	DRAFT("draft"), ON("on"), OFF("off"), ARCHIVED("archived");

	private final String value;

	JourneyState(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	public static Optional<JourneyState> of(String value) {
		return Arrays.stream(values()).filter(state -> state.value.equals(value)).findFirst();
	}

	/** draft→on, on→off, off→on and anything→archived, except out of archived. */
	boolean canChangeTo(JourneyState target) {
		if (this == ARCHIVED) {
			return false;
		}
		return target == ARCHIVED || (this == DRAFT && target == ON) || (this == ON && target == OFF)
				|| (this == OFF && target == ON);
	}

	@Converter(autoApply = true)
	static class Column implements AttributeConverter<JourneyState, String> {

		@Override
		public String convertToDatabaseColumn(JourneyState state) {
			return state.value;
		}

		@Override
		public JourneyState convertToEntityAttribute(String value) {
			return of(value).orElseThrow();
		}

	}

}
