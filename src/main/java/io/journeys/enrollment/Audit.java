package io.journeys.enrollment;

import java.util.UUID;

import io.journeys.auth.ApiCaller;
import io.journeys.web.RequestIdFilter;
import org.jspecify.annotations.Nullable;

/** Who did it, for the audit columns of the rows a request writes. */
record Audit(UUID apiKeyId, @Nullable String requestId) {

	static Audit of(ApiCaller caller) {
		return new Audit(caller.apiKeyId(), RequestIdFilter.current());
	}

}
