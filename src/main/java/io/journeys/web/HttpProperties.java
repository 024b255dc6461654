package io.journeys.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a request may carry.
 *
 * @param maxBodySize largest body accepted by ordinary endpoints, enroll among them (413
 * above)
 * @param maxBulkBodySize largest body accepted by the bulk endpoints (contacts bulk, list
 * members, enrollment import), which take up to 10,000 items
 */
@ConfigurationProperties("journeys.http")
public record HttpProperties(@DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("16MB") DataSize maxBulkBodySize) {

}
