package io.journeys.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;

/**
 * A position in a listing ordered by a time and then by id: the last row a page returned.
 * Callers see it as an opaque string.
 */
public record Cursor(Instant at, UUID id) {

	public String encode() {
		String raw = this.at.getEpochSecond() + "." + this.at.getNano() + "." + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/** Reads a cursor; anything this service did not write is a 422 on {@code cursor}. */
	public static Cursor decode(String encoded) {
		try {
			String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
			String[] parts = raw.split("\\.", 3);
			Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
			if (!SqlTimes.storable(at)) {
				throw new IllegalArgumentException("no row of ours holds this time");
			}
			UUID id = Ids.parse(parts[2]).orElseThrow(IllegalArgumentException::new);
			return new Cursor(at, id);
		}
		catch (RuntimeException ex) {
			throw InvalidParameters.of("cursor", "is invalid");
		}
	}

	/**
	 * The keyset condition of an ascending (time, id) listing, empty on the first page.
	 */
	public static String after(@Nullable Cursor cursor, String timeColumn, String idColumn) {
		return cursor == null ? "" : "and (" + timeColumn + ", " + idColumn + ") > (:afterAt, :afterId)";
	}

}
