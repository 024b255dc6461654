package io.journeys.auth;

import java.time.Instant;
import java.util.UUID;

/** The only answer that ever carries the token. */
public record CreatedApiKey(String object, UUID id, String name, String token, Instant createdAt) {

}
