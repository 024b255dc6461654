package io.journeys.auth;

import java.time.Instant;
import java.util.UUID;

/** A key just created: the only answer that ever carries its token. */
public record CreatedApiKey(String object, UUID id, String name, String token, Instant createdAt) {

}
