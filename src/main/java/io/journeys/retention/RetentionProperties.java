package io.journeys.retention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enrollmentEvents how long an enrollment's timeline entries are kept
 * @param lifecycleDeliveries how long a lifecycle event delivery sent or failed stays in
 * its subscription's delivery log
 * @param batchSize how many rows one delete statement removes at most (each commits)
 * @param purgeInterval the pause between two purges of rows past their retention
 */
@ConfigurationProperties("journeys.retention")
public record RetentionProperties(@DefaultValue("90d") Duration enrollmentEvents,
		@DefaultValue("30d") Duration lifecycleDeliveries, @DefaultValue("10000") int batchSize,
		@DefaultValue("1h") Duration purgeInterval) {

}
