package io.journeys.validation;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
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
 * A {@code Content-Encoding} other than {@code identity} is a 415: the body would
 * otherwise be parsed as if it were plain. Answers are written by the regular Jackson
 * converter.
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
		String problem = charset == null ? null : UnicodeText.problem(body, charset);
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
		public java.io.InputStream getBody() {
			return new java.io.ByteArrayInputStream(this.bytes);
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

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
