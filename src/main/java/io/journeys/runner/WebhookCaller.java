package io.journeys.runner;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.journeys.journey.WebhookProperties;
import io.journeys.journey.WebhookSecrets;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Calls a webhook step's URL the Standard Webhooks way: a POST of the JSON payload with
 * {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. Redirects
 * are not followed, targets on internal addresses are refused unless
 * {@code journeys.webhook.allow-private}, and at most 1 KiB of an answer is read.
 */
@Component
class WebhookCaller {

	static final int BODY_READ = 1024;

	static final int EXCERPT = 200;

	private final WebhookProperties properties;

	private final HttpClient client;

	WebhookCaller(WebhookProperties properties) {
		this.properties = properties;
		this.client = HttpClient.newBuilder()
			.connectTimeout(properties.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** What one call came to: {@code delivered} for a 2xx answer. */
	record Outcome(boolean delivered, @Nullable Integer status, String error) {

		static Outcome failed(@Nullable Integer status, String error) {
			return new Outcome(false, status, error);
		}

	}

	Outcome call(String url, String messageId, long timestamp, String body, byte[] signingKey) {
		URI uri = URI.create(url);
		String refused = refusedTarget(uri);
		if (refused != null) {
			return Outcome.failed(null, refused);
		}
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(this.properties.timeout())
			.header("Content-Type", "application/json")
			.header("User-Agent", "journeys-service")
			.header("webhook-id", messageId)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", "v1," + sign(signingKey, messageId, timestamp, body))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.build();
		try {
			HttpResponse<InputStream> response = this.client.send(request, HttpResponse.BodyHandlers.ofInputStream());
			String excerpt;
			try (InputStream answer = response.body()) {
				excerpt = excerpt(answer.readNBytes(BODY_READ));
			}
			int status = response.statusCode();
			if (status >= 200 && status < 300) {
				return new Outcome(true, status, "");
			}
			return Outcome.failed(status, excerpt.isEmpty() ? "answered " + status : excerpt);
		}
		catch (HttpTimeoutException ex) {
			return Outcome.failed(null, "timed out");
		}
		catch (ConnectException ex) {
			return Outcome.failed(null, "connection refused or unreachable");
		}
		catch (IOException ex) {
			return Outcome.failed(null, "I/O error: " + ex.getClass().getSimpleName());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Outcome.failed(null, "interrupted");
		}
	}

	/** Why the target may not be called, or null. */
	private @Nullable String refusedTarget(URI uri) {
		if ("http".equalsIgnoreCase(uri.getScheme()) && !this.properties.allowHttp()) {
			return "http URLs are not allowed";
		}
		if (this.properties.allowPrivate()) {
			return null;
		}
		try {
			for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
				if (isInternal(address)) {
					return "the address " + address.getHostAddress() + " is internal";
				}
			}
			return null;
		}
		catch (UnknownHostException ex) {
			return "the host does not resolve";
		}
	}

	/**
	 * Loopback, unspecified, private, link-local, multicast, shared (100.64/10),
	 * benchmarking (198.18/15), reserved (240/4) and IPv6 unique-local addresses.
	 */
	static boolean isInternal(InetAddress address) {
		if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 192 && second == 0)
					|| (first == 198 && (second == 18 || second == 19)) || first >= 240;
		}
		if (address instanceof Inet6Address) {
			return (b[0] & 0xfe) == 0xfc;
		}
		return false;
	}

	static String sign(byte[] key, String messageId, long timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			byte[] signature = mac.doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(signature);
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The start of an answer, printable and short, for the enrollment's last error. */
	private static String excerpt(byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
		return text.length() > EXCERPT ? text.substring(0, EXCERPT) : text;
	}

	/** For signing: the journey's secret as {@link WebhookSecrets} opened it. */
	static byte[] keyOf(String secret) {
		return WebhookSecrets.signingKey(secret);
	}

}
