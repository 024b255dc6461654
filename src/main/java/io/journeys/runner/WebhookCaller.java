package io.journeys.runner;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.journeys.journey.WebhookProperties;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/** Internal addresses are refused by the connection's own resolver: no DNS rebinding. */
@Component
class WebhookCaller implements DisposableBean {

	static final int BODY_READ = 1024;

	static final int EXCERPT = 200;

	private final WebhookProperties properties;

	private final CloseableHttpClient client;

	private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "webhook-deadlines");
		thread.setDaemon(true);
		return thread;
	});

	WebhookCaller(WebhookProperties properties, RunnerProperties runner) {
		this.properties = properties;
		DnsResolver resolver = properties.allowPrivate() ? SystemDefaultDnsResolver.INSTANCE : new PublicOnly();
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setDnsResolver(resolver)
			.setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
				.http1Config(Http1Config.custom().setMaxLineLength(8192).setMaxHeaderCount(100).build())
				.build())
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.of(properties.connectTimeout()))
				.setSocketTimeout(Timeout.of(properties.timeout()))
				.build())
			.setMaxConnTotal(Math.max(runner.batchSize() * 2, 20))
			.setMaxConnPerRoute(Math.max(runner.batchSize(), 10))
			.build();
		this.client = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(
					RequestConfig.custom().setResponseTimeout(Timeout.of(properties.timeout())).build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.setUserAgent("journeys-service")
			.build();
	}

	record Outcome(boolean delivered, @Nullable Integer status, String error) {

		static Outcome failed(@Nullable Integer status, String error) {
			return new Outcome(false, status, error);
		}

	}

	/** Signed by each key (a rotated one during its grace too), space-separated. */
	Outcome call(String url, String messageId, long timestamp, String body, List<byte[]> signingKeys) {
		URI uri = URI.create(url);
		if ("http".equalsIgnoreCase(uri.getScheme()) && !this.properties.allowHttp()) {
			return Outcome.failed(null, "http URLs are not allowed");
		}
		HttpPost post = new HttpPost(uri);
		post.setHeader("webhook-id", messageId);
		post.setHeader("webhook-timestamp", Long.toString(timestamp));
		post.setHeader("webhook-signature",
				signingKeys.stream()
					.map(key -> "v1," + sign(key, messageId, timestamp, body))
					.collect(Collectors.joining(" ")));
		post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
		// the whole call, connect to answer read, within `timeout`
		ScheduledFuture<?> deadline = this.deadlines.schedule(post::cancel, this.properties.timeout().toMillis(),
				TimeUnit.MILLISECONDS);
		try {
			ClassicHttpResponse response = this.client.executeOpen(null, post, null);
			try {
				int status = response.getCode();
				String excerpt = readExcerpt(response, post);
				if (status >= 200 && status < 300) {
					return new Outcome(true, status, "");
				}
				return Outcome.failed(status, excerpt.isEmpty() ? "answered " + status : excerpt);
			}
			finally {
				closeQuietly(response);
			}
		}
		catch (InternalAddress ex) {
			return Outcome.failed(null, ex.getMessage());
		}
		catch (UnknownHostException ex) {
			return Outcome.failed(null, "the host does not resolve");
		}
		catch (SocketTimeoutException ex) {
			return Outcome.failed(null, "timed out");
		}
		catch (HttpHostConnectException ex) {
			return Outcome.failed(null, "connection refused or unreachable");
		}
		catch (IOException ex) {
			return Outcome.failed(null,
					post.isCancelled() ? "timed out" : "I/O error: " + ex.getClass().getSimpleName());
		}
		finally {
			deadline.cancel(false);
		}
	}

	/** A longer answer drops the connection rather than be read to its end. */
	private static String readExcerpt(ClassicHttpResponse response, HttpPost post) {
		HttpEntity entity = response.getEntity();
		if (entity == null) {
			return "";
		}
		try {
			InputStream answer = entity.getContent();
			String excerpt = excerpt(answer.readNBytes(BODY_READ));
			if (answer.read() != -1) {
				post.cancel();
			}
			return excerpt;
		}
		catch (IOException ex) {
			post.cancel();
			return "";
		}
	}

	private static void closeQuietly(ClassicHttpResponse response) {
		try {
			response.close();
		}
		catch (IOException ex) {
			// a dropped connection: nothing to give back to the pool
		}
	}

	private static final class PublicOnly implements DnsResolver {

		@Override
		public InetAddress[] resolve(String host) throws UnknownHostException {
			InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
			for (InetAddress address : addresses) {
				if (isInternal(address)) {
					// the address is not told: the answer is the tenant's to read
					throw new InternalAddress("the host resolves to an internal address");
				}
			}
			return addresses;
		}

		@Override
		public String resolveCanonicalHostname(String host) throws UnknownHostException {
			return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
		}

	}

	static final class InternalAddress extends UnknownHostException {

		InternalAddress(String message) {
			super(message);
		}

	}

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
			if ((b[0] & 0xfe) == 0xfc) {
				return true;
			}
			// IPv4 in IPv6: NAT64 (64:ff9b::/96), 6to4 (2002::/16), compatible (::/96)
			if (startsWith(b, 0x00, 0x64, 0xff, 0x9b) && zeros(b, 4, 12)) {
				return isInternal(ipv4(b, 12));
			}
			if (startsWith(b, 0x20, 0x02)) {
				return isInternal(ipv4(b, 2));
			}
			if (zeros(b, 0, 12)) {
				return isInternal(ipv4(b, 12));
			}
		}
		return false;
	}

	private static boolean startsWith(byte[] address, int... prefix) {
		for (int i = 0; i < prefix.length; i++) {
			if ((address[i] & 0xff) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

	private static boolean zeros(byte[] address, int from, int to) {
		for (int i = from; i < to; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return true;
	}

	private static InetAddress ipv4(byte[] address, int at) {
		try {
			return InetAddress.getByAddress(Arrays.copyOfRange(address, at, at + 4));
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
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

	private static String excerpt(byte[] body) {
		String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
		return text.length() > EXCERPT ? text.substring(0, EXCERPT) : text;
	}

	@Override
	public void destroy() throws IOException {
		this.deadlines.shutdownNow();
		this.client.close();
	}

}
