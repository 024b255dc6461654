package io.journeys.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.journeys.web.RequestBodyFilter.BufferedBody;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every {@code @RequestBody} record from the body's bytes, read once
 * ({@link BufferedBody}). A {@code Content-Encoding} other than {@code identity} is a
 * 415: the body would otherwise be parsed as if it were plain. Text that is not valid
 * Unicode is a 400: Jackson decodes some byte sequences that are not UTF-8 (overlong
 * forms, code points past U+10FFFF) and turns a {@code \ud800} escape into a lone
 * surrogate, which PostgreSQL then stores as {@code ?}, so what was answered would differ
 * from what was stored. Then Jackson parses the JSON and {@link RecordBinder} binds and
 * checks it. Answers are written by the regular Jackson converter.
 */
class RecordBodyConverter extends JacksonJsonHttpMessageConverter {

	private static final ResolvableType TREE = ResolvableType.forClass(JsonNode.class);

	private final RecordBinder binder;

	RecordBodyConverter(JsonMapper mapper, RecordBinder binder) {
		super(mapper);
		this.binder = binder;
	}

	@Override
	public boolean canRead(ResolvableType type, @Nullable MediaType mediaType) {
		return type.toClass().isRecord() && super.canRead(TREE, mediaType);
	}

	@Override
	public boolean canWrite(ResolvableType type, Class<?> valueClass, @Nullable MediaType mediaType) {
		return false;
	}

	@Override
	public Object read(ResolvableType type, HttpInputMessage input, @Nullable Map<String, Object> hints)
			throws IOException {
		HttpHeaders headers = input.getHeaders();
		for (String encoding : headers.getValuesAsList(HttpHeaders.CONTENT_ENCODING)) {
			if (!"identity".equals(encoding.strip().toLowerCase(Locale.ROOT))) {
				throw UnreadableBody.contentEncoding(encoding.strip());
			}
		}
		byte[] body = (input.getBody() instanceof BufferedBody buffered) ? buffered.bytes()
				: input.getBody().readAllBytes();
		Charset charset = charset(headers);
		String problem = charset == null ? null : problem(body, charset);
		if (problem != null) {
			throw UnreadableBody.invalidText(problem);
		}
		JsonNode tree = (JsonNode) super.read(TREE, new BytesMessage(body, headers), hints);
		return this.binder.bind(tree, type.toClass());
	}

	private static @Nullable Charset charset(HttpHeaders headers) {
		try {
			MediaType type = headers.getContentType();
			Charset declared = type == null ? null : type.getCharset();
			return declared == null ? StandardCharsets.UTF_8 : declared;
		}
		catch (RuntimeException ex) {
			// an unknown charset: Jackson's converter refuses it
			return null;
		}
	}

	private record BytesMessage(byte[] bytes, HttpHeaders headers) implements HttpInputMessage {

		@Override
		public InputStream getBody() {
			return new ByteArrayInputStream(this.bytes);
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}

	static @Nullable String problem(byte[] body, Charset charset) {
		if (StandardCharsets.UTF_8.equals(charset)) {
			// checked in place: decoding a 16 MB bulk body would allocate 32 MB of chars
			if (!isUtf8(body)) {
				return "it is not valid UTF-8";
			}
			// valid UTF-8 holds no surrogate: only an escape can, and most bodies have
			// none
			return hasBackslash(body) ? surrogateProblem(new Latin1(body)) : null;
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
	private static boolean hasBackslash(byte[] bytes) {
		for (byte b : bytes) {
			if (b == '\\') {
				return true;
			}
		}
		return false;
	}

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

	/** No body at all reads as {@code {}}: Spring does not call a converter then. */
	@ControllerAdvice
	static class EmptyBodyAdvice extends RequestBodyAdviceAdapter {

		private final RecordBinder binder;

		EmptyBodyAdvice(RecordBinder binder) {
			this.binder = binder;
		}

		@Override
		public boolean supports(MethodParameter parameter, Type targetType,
				Class<? extends HttpMessageConverter<?>> converterType) {
			return parameter.getParameterType().isRecord();
		}

		@Override
		public @Nullable Object handleEmptyBody(@Nullable Object body, HttpInputMessage input,
				MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
			return body == null ? this.binder.bind(null, parameter.getParameterType()) : body;
		}

	}

}
