package io.journeys.lifecycle;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention how long a delivery that was sent or failed is kept in the delivery
 * log (and can be replayed); pending ones are kept until sent
 * @param purgeInterval the pause between two purges of deliveries past their retention
 */
@ConfigurationProperties("journeys.lifecycle")
public record LifecycleProperties(@DefaultValue("30d") Duration retention, @DefaultValue("1h") Duration purgeInterval) {

}
