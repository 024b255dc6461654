package io.journeys.company;

import java.time.Instant;
import java.util.UUID;

public record CompanyView(String object, UUID id, String name, Instant createdAt) {

}
