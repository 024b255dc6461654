package io.journeys.journey;

import java.security.SecureRandom;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.security.crypto.encrypt.TextEncryptor;
import org.springframework.stereotype.Component;

/**
 * The journeys' webhook signing secrets: made ({@code whsec_} and 24 random bytes in
 * base64, as Standard Webhooks has them), sealed for the database with AES-GCM under
 * {@code journeys.webhook.secret-key} so that a dump alone does not reveal them, and
 * opened for signing. Without a key they are stored as they are, which a warning says at
 * start.
 */
@Component
public class WebhookSecrets {

	private static final Logger log = LoggerFactory.getLogger(WebhookSecrets.class);

	static final String PREFIX = "whsec_";

	private static final String SEALED = "aesgcm:";

	/** A fixed salt: the key itself is the secret (hex, as Encryptors wants it). */
	private static final String SALT = "6a6f75726e6579732d776562686f6f6b";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final @Nullable TextEncryptor encryptor;

	WebhookSecrets(WebhookProperties properties) {
		String key = properties.secretKey();
		if (key == null || key.isBlank()) {
			log.warn("journeys.webhook.secret-key (JOURNEYS_WEBHOOK_SECRET_KEY) is not set: webhook signing secrets "
					+ "are stored unencrypted in the database");
			this.encryptor = null;
		}
		else {
			this.encryptor = Encryptors.delux(key, SALT);
		}
	}

	/** A new secret, as it is shown once to the caller. */
	static String newSecret() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getEncoder().encodeToString(bytes);
	}

	/** The secret as it is stored. */
	String seal(String secret) {
		return this.encryptor == null ? secret : SEALED + this.encryptor.encrypt(secret);
	}

	/** The secret a stored value holds. */
	public String open(String stored) {
		if (!stored.startsWith(SEALED)) {
			return stored;
		}
		if (this.encryptor == null) {
			throw new IllegalStateException(
					"a webhook secret is encrypted, and journeys.webhook.secret-key is not set to open it");
		}
		return this.encryptor.decrypt(stored.substring(SEALED.length()));
	}

	/** The signing key of a secret: its bytes after {@code whsec_}, base64-decoded. */
	public static byte[] signingKey(String secret) {
		String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
		return Base64.getDecoder().decode(encoded);
	}

}
