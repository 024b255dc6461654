package io.journeys.persistence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param refuseFor how long, after a pool has failed to reach the database, its callers
 * are refused at once rather than wait out the connection timeout
 */
@ConfigurationProperties("journeys.database")
public record DatabaseProperties(@DefaultValue("1s") Duration refuseFor) {

}
