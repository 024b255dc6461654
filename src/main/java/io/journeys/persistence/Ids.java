package io.journeys.persistence;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Ids are opaque strings to callers; here they are UUIDs in canonical form. */
public final class Ids {

	private static final Pattern CANONICAL = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private Ids() {
	}

	public static Optional<UUID> parse(String id) {
		if (!CANONICAL.matcher(id).matches()) {
			return Optional.empty();
		}
		return Optional.of(UUID.fromString(id));
	}

}
