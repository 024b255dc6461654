package io.journeys.contact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Every endpoint that takes an email normalizes it here: trim, then lowercase. */
public final class Emails {

	private static final Pattern PLAUSIBLE = Pattern.compile("[^\\s@]+@[^\\s@]+");

	public static final int MAX_LENGTH = 254;

	/** Before trimming; longer is a 422, not echoed back as a member not found. */
	public static final int MAX_SENT = 1000;

	private Emails() {
	}

	/** Unicode whitespace too: no-break and zero-width spaces. */
	public static String normalize(String email) {
		int start = 0;
		int end = email.length();
		while (start < end && isSpace(email.charAt(start))) {
			start++;
		}
		while (end > start && isSpace(email.charAt(end - 1))) {
			end--;
		}
		// text cannot hold U+0000; U+FFFD matches nothing and is reported back
		return email.substring(start, end).toLowerCase(Locale.ROOT).replace('\u0000', '\uFFFD');
	}

	/** Drops empty entries and duplicates; keeps the first-seen order. */
	public static List<String> normalizeAll(Collection<String> emails) {
		LinkedHashSet<String> unique = new LinkedHashSet<>();
		for (String email : emails) {
			String normalized = normalize(email);
			if (!normalized.isEmpty()) {
				unique.add(normalized);
			}
		}
		return new ArrayList<>(unique);
	}

	/**
	 * PostgreSQL's {@code "C"} order, by code point: {@link String#compareTo} would put
	 * characters beyond U+FFFF before U+E000-U+FFFF.
	 */
	public static List<String> inByteOrder(Collection<String> emails) {
		return emails.stream().distinct().sorted(Emails::compareCodePoints).toList();
	}

	private static int compareCodePoints(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			int a = left.codePointAt(i);
			int b = right.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Integer.compare(left.length() - i, right.length() - j);
	}

	public static boolean isPlausible(String normalizedEmail) {
		return normalizedEmail.length() <= MAX_LENGTH && PLAUSIBLE.matcher(normalizedEmail).matches()
				&& normalizedEmail.indexOf('\uFFFD') < 0;
	}

	private static boolean isSpace(char c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200B' || c == '\uFEFF' || c == '\u0085';
	}

}
