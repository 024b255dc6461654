package io.journeys.contact;

import java.util.Arrays;
import java.util.Optional;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/** Only active contacts can be enrolled. */
public enum ContactStatus {

	ACTIVE("active"), INACTIVE("inactive");

	private final String value;

	ContactStatus(String value) {
		this.value = value;
	}

	@JsonValue
	public String value() {
		return this.value;
	}

	public static Optional<ContactStatus> of(String value) {
		return Arrays.stream(values()).filter(status -> status.value.equals(value)).findFirst();
	}

	@Converter(autoApply = true)
	static class Column implements AttributeConverter<ContactStatus, String> {

		@Override
		public String convertToDatabaseColumn(ContactStatus status) {
			return status.value;
		}

		@Override
		public ContactStatus convertToEntityAttribute(String value) {
			return of(value).orElseThrow();
		}

	}

}
