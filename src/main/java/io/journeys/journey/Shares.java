package io.journeys.journey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.UUID;

/**
 * A contact's fixed share at a step: 32 bits of the MD5 of
 * {@code contact:journey:step[:salt]}, computed the same in Java (a preview) and in SQL
 * (the runner), so that a contact takes the same split path and the same part of a spread
 * every time it reaches the step.
 */
public final class Shares {

	static final String SPREAD = "spread";

	private Shares() {
	}

	/** 0 to 2^32 - 1. */
	public static long bits(UUID contactId, UUID journeyId, String stepId, String salt) {
		String key = contactId + ":" + journeyId + ":" + stepId + (salt.isEmpty() ? "" : ":" + salt);
		try {
			byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
			return ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
					| (digest[3] & 0xffL);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code bits} scaled to {@code [0, range)}. */
	public static long scale(long bits, long range) {
		return (bits * range) >>> 32;
	}

	/**
	 * The same bits in SQL, over {@code contactColumn} (a uuid), with
	 * {@code :share_journey} (the journey's id as text) and {@code :share_step} bound.
	 */
	public static String sqlBits(String contactColumn, String salt) {
		String tail = salt.isEmpty() ? "" : " || ':" + salt + "'";
		return "cast(cast('x' || substr(md5(cast(" + contactColumn
				+ " as text) || ':' || :share_journey || ':' || :share_step" + tail + "), 1, 8) as bit(32)) as bigint)";
	}

	public static final String SPREAD_SALT = SPREAD;

	/** The index of the split path a contact takes. */
	public static int path(List<Step.Path> paths, UUID contactId, UUID journeyId, String stepId) {
		long bucket = scale(bits(contactId, journeyId, stepId, ""), total(paths));
		long upTo = 0;
		for (int i = 0; i < paths.size(); i++) {
			upTo += paths.get(i).weight();
			if (bucket < upTo) {
				return i;
			}
		}
		return paths.size() - 1;
	}

	/** The buckets {@code [from, to)} of path {@code index}, out of {@link #total}. */
	public static long[] buckets(List<Step.Path> paths, int index) {
		long from = 0;
		for (int i = 0; i < index; i++) {
			from += paths.get(i).weight();
		}
		return new long[] { from, from + paths.get(index).weight() };
	}

	public static int total(List<Step.Path> paths) {
		return paths.stream().mapToInt(Step.Path::weight).sum();
	}

}
