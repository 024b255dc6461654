package io.journeys.contact;

import java.util.List;
import java.util.UUID;

/**
 * Published in the transaction that changed the time zone of these contacts, so that what
 * waits for a local time of theirs follows.
 */
public record TimeZonesChanged(UUID companyId, List<String> emailAddresses) {
}
