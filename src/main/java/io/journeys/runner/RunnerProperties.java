package io.journeys.runner;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled whether this instance runs due steps (not on an API-only replica)
 * @param pollInterval the pause between two passes over the due steps
 * @param batchSize how many webhook calls one claim takes
 */
@ConfigurationProperties("journeys.runner")
public record RunnerProperties(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("100") int batchSize) {

}
