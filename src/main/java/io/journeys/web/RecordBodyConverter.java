package io.journeys.web;

import java.io.IOException;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every {@code @RequestBody} record: Jackson parses the JSON (charset, syntax and
 * size faults as usual), then {@link JsonRequests} binds and checks it. Answers are
 * written by the regular Jackson converter.
 */
class RecordBodyConverter extends JacksonJsonHttpMessageConverter {

	private static final ResolvableType TREE = ResolvableType.forClass(JsonNode.class);

	private final JsonRequests requests;

	RecordBodyConverter(JsonMapper mapper, JsonRequests requests) {
		super(mapper);
		this.requests = requests;
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
		return this.requests.bind((JsonNode) super.read(TREE, input, hints), type.toClass());
	}

}
