package io.journeys.auth;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

public record ApiKeyView(String object, UUID id, String name, Instant createdAt, @Nullable Instant revokedAt) {

}
