package io.journeys.validation;

import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

/**
 * Time zones as callers name them: IANA region ids ({@code Europe/Paris}, {@code UTC})
 * only, where {@link ZoneId#of} would also take offsets such as {@code +02:00} and
 * {@code UTC+1}.
 */
public final class TimeZones {

	public static final String UNKNOWN = "is not a known IANA time zone";

	private TimeZones() {
	}

	/**
	 * The zone named, surrounding spaces ignored; {@code null} with an error on
	 * {@code field}.
	 */
	public static @Nullable ZoneId region(String sent, String field, ValidationErrors errors) {
		String name = sent.strip();
		if (!ZoneId.getAvailableZoneIds().contains(name)) {
			errors.add(field, UNKNOWN);
			return null;
		}
		return ZoneId.of(name);
	}

}
