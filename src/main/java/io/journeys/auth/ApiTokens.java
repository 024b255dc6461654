package io.journeys.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** {@code jrn_} and 256 random bits in base64url: a leaked token is easy to spot. */
final class ApiTokens {

	static final String PREFIX = "jrn_";

	private static final SecureRandom RANDOM = new SecureRandom();

	private ApiTokens() {
	}

	static String generate() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static byte[] hash(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

	static boolean looksValid(String token) {
		return token.startsWith(PREFIX) && token.length() == PREFIX.length() + 43;
	}

}
