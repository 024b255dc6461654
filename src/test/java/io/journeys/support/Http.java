package io.journeys.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** A real HTTP client against the running service, for end-to-end tests. */
public final class Http {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public Http(int port) {
		this.base = "http://localhost:" + port;
	}

	public Response get(String path, @Nullable String token) {
		return send("GET", path, token, null, null);
	}

	public Response post(String path, @Nullable String token, @Nullable String json) {
		return send("POST", path, token, json, json == null ? null : "application/json");
	}

	public Response patch(String path, @Nullable String token, String json) {
		return send("PATCH", path, token, json, "application/json");
	}

	public Response delete(String path, @Nullable String token) {
		return send("DELETE", path, token, null, null);
	}

	public Response delete(String path, @Nullable String token, String json) {
		return send("DELETE", path, token, json, "application/json");
	}

	public Response send(String method, String path, @Nullable String token, @Nullable String body,
			@Nullable String contentType) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (token != null) {
			headers.put("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			headers.put("Content-Type", contentType);
		}
		return send(method, path, headers,
				body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** POSTs JSON without a Content-Length: the body goes chunked. */
	public Response sendChunked(String path, String token, byte[] body) {
		return send("POST", path, Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
				HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
	}

	public Response send(String method, String path, Map<String, String> headers, byte @Nullable [] body) {
		return send(method, path, headers,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
	}

	private Response send(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(60))
			.method(method, body);
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
