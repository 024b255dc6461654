package io.journeys.journey;

import java.security.SecureRandom;
import java.util.Base64;

import io.journeys.persistence.AtRest;
import org.springframework.stereotype.Component;

/**
 * The journeys' webhook signing secrets: made ({@code whsec_} and 24 random bytes in
 * base64, as Standard Webhooks has them), sealed for the database by {@link AtRest}, and
 * opened for signing.
 */
@Component
public class WebhookSecrets {

	static final String PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final AtRest atRest;

	WebhookSecrets(AtRest atRest) {
		this.atRest = atRest;
	}

	/** A new secret, as it is shown once to the caller. */
	static String newSecret() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	/** The secret as it is stored. */
	String seal(String secret) {
		return this.atRest.seal(secret);
	}

	/** The secret a stored value holds. */
	public String open(String stored) {
		return this.atRest.open(stored);
	}

	/** The signing key of a secret: its bytes after {@code whsec_}, base64-decoded. */
	public static byte[] signingKey(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}

}
