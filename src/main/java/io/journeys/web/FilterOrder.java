package io.journeys.web;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;

/** Servlet filter order, outermost first. */
public final class FilterOrder {

	public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;

	/** Around everything else, so that 401s and 413s are logged too. */
	public static final int REQUEST_LOG = REQUEST_ID + 1;

	public static final int SECURITY = SecurityFilterProperties.DEFAULT_FILTER_ORDER;

	/** After security: every answer to a key, even a 413, has its rate limit headers. */
	public static final int RATE_LIMIT = 0;

	/** After a 401 and a 429 have had their chance. */
	public static final int BODY_LIMIT = 10;

	public static final int IDEMPOTENCY = 20;

	private FilterOrder() {
	}

}
