package io.journeys.auth;

import java.util.UUID;

public record ApiCaller(UUID companyId, UUID apiKeyId) {

}
