package io.journeys.web;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;

/**
 * The order of the servlet filters every request passes, in one place, outermost first.
 * Each filter is registered once, through a {@code FilterRegistrationBean} with one of
 * these.
 */
public final class FilterOrder {

	/** Takes or makes the {@code X-Request-Id} and puts it in the logging context. */
	public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;

	/** Writes one log line per request when it ends, around everything else. */
	public static final int REQUEST_LOG = REQUEST_ID + 1;

	/**
	 * Spring Security's chain: the bearer key check (401) comes before all that follows.
	 */
	public static final int SECURITY = SecurityFilterProperties.DEFAULT_FILTER_ORDER;

	/** Notes the authenticated company for the log line, while the caller is known. */
	public static final int CALLER_CAPTURE = SECURITY + 1;

	/**
	 * Per-key rate limit (429), once the key is known: every answer to a key, a 413
	 * included, carries its {@code RateLimit} headers.
	 */
	public static final int RATE_LIMIT = 0;

	/**
	 * Refuses bodies over the limit (413), after a 401 and a 429 have had their chance.
	 */
	public static final int BODY_LIMIT = 10;

	/** Replays the answer of a repeated {@code Idempotency-Key}, innermost. */
	public static final int IDEMPOTENCY = 20;

	private FilterOrder() {
	}

}
