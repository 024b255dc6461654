package io.journeys.validation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Jackson decodes some byte sequences that are not UTF-8 (overlong forms, code points
 * past U+10FFFF) and turns a {@code \ud800} escape into a lone surrogate, which
 * PostgreSQL stores as {@code ?}: what was answered would differ from what was stored.
 */
final class UnicodeText {

	private UnicodeText() {
	}

	static @Nullable String problem(byte[] body, Charset charset) {
		if (StandardCharsets.UTF_8.equals(charset)) {
			// checked in place: decoding a 16 MB bulk body would allocate 32 MB of chars
			return isUtf8(body) ? surrogateProblem(new Latin1(body)) : "it is not valid UTF-8";
		}
		CharBuffer text;
		try {
			text = charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body));
		}
		catch (CharacterCodingException ex) {
			return "it is not valid " + charset.name();
		}
		return surrogateProblem(text);
	}

	static @Nullable String surrogateProblem(CharSequence text) {
		int length = text.length();
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c)) {
				if (i + 1 >= length || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return "it holds an unpaired surrogate";
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return "it holds an unpaired surrogate";
			}
			else if (c == '\\' && i + 1 < length) {
				int escaped = text.charAt(i + 1) == 'u' ? hex(text, i + 2) : -1;
				if (escaped < 0) {
					// any other escape (or a malformed one, which the parser refuses)
					i++;
				}
				else if (Character.isHighSurrogate((char) escaped)) {
					int next = i + 7 < length && text.charAt(i + 6) == '\\' && text.charAt(i + 7) == 'u'
							? hex(text, i + 8) : -1;
					boolean paired = next >= 0 && Character.isLowSurrogate((char) next);
					if (!paired) {
						return "it holds an unpaired surrogate escape \\u" + Integer.toHexString(escaped);
					}
					i += 11;
				}
				else if (Character.isLowSurrogate((char) escaped)) {
					return "it holds an unpaired surrogate escape \\u" + Integer.toHexString(escaped);
				}
				else {
					i += 5;
				}
			}
		}
		return null;
	}

	/** Unicode's table 3-7. */
	static boolean isUtf8(byte[] bytes) {
		int i = 0;
		while (i < bytes.length) {
			int lead = bytes[i] & 0xff;
			if (lead < 0x80) {
				i++;
				continue;
			}
			int length = lead >= 0xc2 && lead <= 0xdf ? 2
					: lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
			if (length == 0 || i + length > bytes.length) {
				return false;
			}
			for (int k = 1; k < length; k++) {
				if ((bytes[i + k] & 0xc0) != 0x80) {
					return false;
				}
			}
			int second = bytes[i + 1] & 0xff;
			if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) || (lead == 0xf0 && second < 0x90)
					|| (lead == 0xf4 && second > 0x8f)) {
				return false;
			}
			i += length;
		}
		return true;
	}

	/**
	 * Escapes are ASCII, so this finds them in UTF-8 text without decoding it; raw
	 * surrogates cannot occur in UTF-8 that {@link #isUtf8} passed.
	 */
	private record Latin1(byte[] bytes) implements CharSequence {

		@Override
		public int length() {
			return this.bytes.length;
		}

		@Override
		public char charAt(int index) {
			return (char) (this.bytes[index] & 0xff);
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new String(this.bytes, start, end - start, StandardCharsets.ISO_8859_1);
		}

		@Override
		public String toString() {
			return new String(this.bytes, StandardCharsets.ISO_8859_1);
		}

	}

	private static int hex(CharSequence text, int start) {
		if (start + 4 > text.length()) {
			return -1;
		}
		int value = 0;
		for (int i = start; i < start + 4; i++) {
			char c = text.charAt(i);
			int digit = c < 128 ? Character.digit(c, 16) : -1;
			if (digit < 0) {
				return -1;
			}
			value = value * 16 + digit;
		}
		return value;
	}

}
