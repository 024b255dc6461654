import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * R1's floor (bench/runner.sh): what a bare Java client does against the same receiver, with
 * what the runner's calls have and nothing else: Apache HttpClient 5 (the service's version,
 * taken from its jar), configured as io.journeys.runner.WebhookCaller configures it, CONNECTIONS
 * threads each POSTing in a loop (the runner calls a batch of that many at once), every call with
 * its own webhook-id and timestamp, signed with HmacSHA256 as WebhookCaller.sign does, the body
 * read from BODY_FILE. No database, no claims, no commits. Calls for WARMUP s, then counts the
 * answers of SECONDS s and prints {"calls", "seconds", "per_second", "failed", "cpu_seconds"}, the
 * last this process's CPU over the SECONDS counted.
 *   java -cp "<httpclient5, httpcore5, slf4j-api jars>" bench/lib/WebhookFloor.java URL CONNECTIONS SECONDS WARMUP BODY_FILE
 */
public class WebhookFloor {

	public static void main(String[] args) throws Exception {
		String url = args[0];
		int connections = Integer.parseInt(args[1]);
		double seconds = Double.parseDouble(args[2]);
		double warmup = Double.parseDouble(args[3]);
		String body = Files.readString(Path.of(args[4]), StandardCharsets.UTF_8);
		byte[] key = "bench-signing-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
		PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
			.setDefaultConnectionConfig(ConnectionConfig.custom()
				.setConnectTimeout(Timeout.ofSeconds(2))
				.setSocketTimeout(Timeout.ofSeconds(10))
				.build())
			.setMaxConnTotal(Math.max(connections * 2, 20))
			.setMaxConnPerRoute(Math.max(connections, 10))
			.build();
		AtomicLong counted = new AtomicLong();
		long cpuNanos;
		AtomicLong failed = new AtomicLong();
		long start = System.nanoTime();
		long countFrom = start + (long) (warmup * 1e9);
		long end = countFrom + (long) (seconds * 1e9);
		try (CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(pool)
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.setUserAgent("journeys-service")
			.build()) {
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < connections; t++) {
				Thread thread = new Thread(() -> {
					long now;
					while ((now = System.nanoTime()) < end) {
						boolean ok = post(client, key, url, body);
						if (now >= countFrom) {
							(ok ? counted : failed).incrementAndGet();
						}
					}
				}, "floor-" + t);
				threads.add(thread);
				thread.start();
			}
			// this process's CPU over the counted seconds only: the JVM's start, the compiling of
			// this file and the warm-up are left out
			com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean();
			Thread.sleep(Math.max(0, (countFrom - System.nanoTime()) / 1_000_000));
			long cpuFrom = os.getProcessCpuTime();
			for (Thread thread : threads) {
				thread.join();
			}
			cpuNanos = os.getProcessCpuTime() - cpuFrom;
		}
		long calls = counted.get();
		System.out.printf("{\"calls\": %d, \"seconds\": %.3f, \"per_second\": %.1f, \"failed\": %d, \"cpu_seconds\": %.3f}%n",
				calls, seconds, calls / seconds, failed.get(), cpuNanos / 1e9);
	}

	private static boolean post(CloseableHttpClient client, byte[] key, String url, String body) {
		String messageId = "msg_" + UUID.randomUUID().toString().replace("-", "") + "_step_0123456789abcdef";
		long timestamp = System.currentTimeMillis() / 1000;
		HttpPost post = new HttpPost(url);
		post.setHeader("webhook-id", messageId);
		post.setHeader("webhook-timestamp", Long.toString(timestamp));
		byte[] signature = hmac(key).doFinal((messageId + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
		post.setHeader("webhook-signature", "v1," + Base64.getEncoder().encodeToString(signature));
		post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
		try (ClassicHttpResponse response = client.executeOpen(null, post, null)) {
			EntityUtils.consume(response.getEntity());
			return response.getCode() >= 200 && response.getCode() < 300;
		}
		catch (Exception ex) {
			return false;
		}
	}

	/** A new Mac per call, as WebhookCaller.sign makes one. */
	private static Mac hmac(byte[] key) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
