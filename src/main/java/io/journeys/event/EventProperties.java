package io.journeys.event;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention how long an event is kept (and its id known as a duplicate)
 * @param applyBatch how many contacts' next events one round of effects takes
 * @param purgeInterval the pause between two purges of events past their retention
 */
@ConfigurationProperties("journeys.event")
public record EventProperties(@DefaultValue("30d") Duration retention, @DefaultValue("1000") int applyBatch,
		@DefaultValue("1h") Duration purgeInterval) {

}
