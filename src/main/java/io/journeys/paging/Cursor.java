package io.journeys.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import io.journeys.persistence.Ids;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import io.journeys.validation.InvalidParameters;

/** A {@link Keyset}, opaque to callers. */
public final class Cursor {

	private Cursor() {
	}

	public static String encode(Keyset position) {
		String raw = position.at().getEpochSecond() + "." + position.at().getNano() + "." + position.id();
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/** Anything this service did not write is a 422 on {@code cursor}. */
	public static Keyset decode(String encoded) {
		try {
			String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
			String[] parts = raw.split("\\.", 3);
			Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
			if (!SqlTimes.storable(at)) {
				throw new IllegalArgumentException("no row of ours holds this time");
			}
			UUID id = Ids.parse(parts[2]).orElseThrow(IllegalArgumentException::new);
			return new Keyset(at, id);
		}
		catch (RuntimeException ex) {
			throw InvalidParameters.of("cursor", "is invalid");
		}
	}

}
