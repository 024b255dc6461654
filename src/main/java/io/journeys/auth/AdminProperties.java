package io.journeys.auth;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param token the bearer token that opens {@code /admin/v1}; when unset, every
 * {@code /admin} path answers 404
 */
@ConfigurationProperties("journeys.admin")
public record AdminProperties(@Nullable String token) {

	boolean enabled() {
		return this.token != null && !this.token.isBlank();
	}

}
