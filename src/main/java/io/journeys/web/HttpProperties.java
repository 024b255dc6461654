package io.journeys.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBodySize largest body accepted by ordinary endpoints, enroll among them
 * @param maxBulkBodySize largest body accepted by the bulk endpoints (up to 10,000 items)
 */
@ConfigurationProperties("journeys.http")
public record HttpProperties(@DefaultValue("1MB") DataSize maxBodySize,
		@DefaultValue("16MB") DataSize maxBulkBodySize) {

}
