package io.journeys.journey;

import java.security.SecureRandom;
import java.util.Base64;

import io.journeys.persistence.SecretSealer;
import org.springframework.stereotype.Component;

/** As Standard Webhooks has them: {@code whsec_} and 24 random bytes in base64. */
@Component
public class WebhookSecrets {

	static final String PREFIX = "whsec_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretSealer sealer;

	WebhookSecrets(SecretSealer sealer) {
		this.sealer = sealer;
	}

	static String newSecret() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	String seal(String secret) {
		return this.sealer.seal(secret);
	}

	public String open(String stored) {
		return this.sealer.open(stored);
	}

	public static byte[] signingKey(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}

}
