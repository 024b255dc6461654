package io.journeys.persistence;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the connection pools behave when the database cannot be reached.
 *
 * @param refuseFor how long, after a pool has failed to reach the database, its callers
 * are refused at once instead of waiting out the pool's connection timeout; then one
 * caller tries again while the others are still refused
 */
@ConfigurationProperties("journeys.database")
public record DatabaseProperties(@DefaultValue("1s") Duration refuseFor) {

}
