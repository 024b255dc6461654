package io.journeys.journey;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param allowHttp whether {@code http} URLs are accepted ({@code https} only otherwise)
 * @param allowPrivate whether targets on internal addresses are called
 * @param connectTimeout how long a connection may take
 * @param timeout how long a whole call may take
 * @param maxAttempts calls of one step before its enrollment exits {@code action_failed}
 * @param firstRetry the wait before the second call; each later one is
 * {@code backoffFactor} times longer, with jitter
 * @param backoffFactor see {@code firstRetry}
 * @param secretKey the key that encrypts signing secrets and kept idempotent answers in
 * the database; without one they are stored plain (with a warning at start)
 * @param rotationGrace how long a rotated secret still signs calls, beside the new one
 */
@ConfigurationProperties("journeys.webhook")
public record WebhookProperties(@DefaultValue("false") boolean allowHttp, @DefaultValue("false") boolean allowPrivate,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration timeout,
		@DefaultValue("8") int maxAttempts, @DefaultValue("15s") Duration firstRetry,
		@DefaultValue("4") double backoffFactor, @Nullable String secretKey,
		@DefaultValue("24h") Duration rotationGrace) {

}
