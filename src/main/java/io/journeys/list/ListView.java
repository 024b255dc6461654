package io.journeys.list;

import java.time.Instant;
import java.util.UUID;

public record ListView(String object, UUID id, String name, String emailAddress, long membershipsCount,
		Instant createdAt, Instant updatedAt) {

}
