package io.journeys.list;

import java.time.Instant;
import java.util.UUID;

/** A list as the API shows it. */
public record ListView(String object, UUID id, String name, String emailAddress, long membershipsCount,
		Instant createdAt, Instant updatedAt) {

}
