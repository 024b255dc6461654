package io.journeys.company;

import java.time.Instant;
import java.util.UUID;

/** A company as the admin API shows it. */
public record CompanyView(String object, UUID id, String name, Instant createdAt) {

}
