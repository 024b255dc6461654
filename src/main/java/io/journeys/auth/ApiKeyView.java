package io.journeys.auth;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** An API key as listed: never its token. */
public record ApiKeyView(String object, UUID id, String name, Instant createdAt, @Nullable Instant revokedAt) {

}
