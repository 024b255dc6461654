package io.journeys.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.encrypt.Encryptors;
import org.springframework.stereotype.Component;

/** AES-GCM so a dump alone reveals no secret; sealed without the key is an error. */
@Component
public class SecretSealer {

	private static final Logger log = LoggerFactory.getLogger(SecretSealer.class);

	private static final String SEALED = "aesgcm:";

	private static final byte[] SEALED_BYTES = SEALED.getBytes(StandardCharsets.US_ASCII);

	/** The key is the secret; the salt (hex, for Encryptors) may be fixed. */
	private static final String SALT = "6a6f75726e6579732d617472657374";

	private final @Nullable BytesEncryptor encryptor;

	SecretSealer(@Value("${journeys.webhook.secret-key:}") String key) {
		if (key.isBlank()) {
			log.warn("journeys.webhook.secret-key (JOURNEYS_WEBHOOK_SECRET_KEY) is not set: webhook signing secrets, "
					+ "and the answers kept for idempotent replays, are stored unencrypted in the database");
			this.encryptor = null;
		}
		else {
			this.encryptor = Encryptors.stronger(key, SALT);
		}
	}

	public byte[] seal(byte[] value) {
		if (this.encryptor == null) {
			return value;
		}
		byte[] sealed = this.encryptor.encrypt(value);
		byte[] marked = Arrays.copyOf(SEALED_BYTES, SEALED_BYTES.length + sealed.length);
		System.arraycopy(sealed, 0, marked, SEALED_BYTES.length, sealed.length);
		return marked;
	}

	public byte[] open(byte[] stored) {
		if (stored.length < SEALED_BYTES.length
				|| !Arrays.equals(stored, 0, SEALED_BYTES.length, SEALED_BYTES, 0, SEALED_BYTES.length)) {
			return stored;
		}
		return encryptor().decrypt(Arrays.copyOfRange(stored, SEALED_BYTES.length, stored.length));
	}

	public String seal(String value) {
		if (this.encryptor == null) {
			return value;
		}
		return SEALED
				+ Base64.getEncoder().encodeToString(this.encryptor.encrypt(value.getBytes(StandardCharsets.UTF_8)));
	}

	public String open(String stored) {
		if (!stored.startsWith(SEALED)) {
			return stored;
		}
		return new String(encryptor().decrypt(Base64.getDecoder().decode(stored.substring(SEALED.length()))),
				StandardCharsets.UTF_8);
	}

	private BytesEncryptor encryptor() {
		if (this.encryptor == null) {
			throw new IllegalStateException(
					"a value in the database is encrypted, and journeys.webhook.secret-key is not set to open it");
		}
		return this.encryptor;
	}

}
