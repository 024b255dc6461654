package io.journeys.auth;

import java.util.UUID;

/**
 * The authenticated caller of a {@code /v1} endpoint: a company, through one of its API
 * keys.
 */
public record ApiCaller(UUID companyId, UUID apiKeyId) {

}
