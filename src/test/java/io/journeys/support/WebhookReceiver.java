package io.journeys.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for tests, on a port of its own: it records every call, checks its
 * Standard Webhooks signature against a secret, and answers what {@link #answer} says.
 */
public final class WebhookReceiver implements AutoCloseable {

	/**
	 * One call as it came, and when ({@link System#nanoTime()}); its signature is valid
	 * when one of the signatures it carries is by the receiver's secret.
	 */
	public record Call(String id, String timestamp, String signature, String body, boolean signatureValid,
			long receivedNanos) {
	}

	private final HttpServer server;

	private final List<Call> calls = new ArrayList<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final AtomicInteger mostInFlight = new AtomicInteger();

	private final java.util.Set<String> idsInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final AtomicInteger repeatsInFlight = new AtomicInteger();

	private volatile IntSupplier answer = () -> 200;

	private volatile long delayMillis;

	private volatile String secret = "";

	private volatile String reply = "";

	public WebhookReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
		this.server.setExecutor(Executors.newFixedThreadPool(64));
		this.server.createContext("/", exchange -> {
			long received = System.nanoTime();
			int now = this.inFlight.incrementAndGet();
			this.mostInFlight.accumulateAndGet(now, Math::max);
			String inFlightId = null;
			try (InputStream in = exchange.getRequestBody()) {
				String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				String id = exchange.getRequestHeaders().getFirst("webhook-id");
				inFlightId = id == null ? "" : id;
				if (!this.idsInFlight.add(inFlightId)) {
					this.repeatsInFlight.incrementAndGet();
					inFlightId = null;
				}
				String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
				String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
				boolean valid = signature != null
						&& java.util.Arrays.asList(signature.split(" ")).contains("v1," + sign(id, timestamp, body));
				synchronized (this.calls) {
					this.calls.add(new Call(id, timestamp, signature, body, valid, received));
				}
				if (this.delayMillis > 0) {
					Thread.sleep(this.delayMillis);
				}
				int status = this.answer.getAsInt();
				byte[] reply = (!this.reply.isEmpty() ? this.reply
						: status >= 300 ? "{\"error\": \"receiver says " + status + "\"}" : "")
					.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
				if (reply.length > 0) {
					exchange.getResponseBody().write(reply);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.inFlight.decrementAndGet();
				if (inFlightId != null) {
					this.idsInFlight.remove(inFlightId);
				}
				exchange.close();
			}
		});
		this.server.start();
	}

	public String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/hook";
	}

	public void answer(IntSupplier status) {
		this.answer = status;
	}

	public void delay(long millis) {
		this.delayMillis = millis;
	}

	/**
	 * The body of every answer from now on (by default a short error for statuses of 300
	 * and more).
	 */
	public void reply(String body) {
		this.reply = body;
	}

	public void secret(String secret) {
		this.secret = secret;
	}

	public List<Call> calls() {
		synchronized (this.calls) {
			return List.copyOf(this.calls);
		}
	}

	public int mostInFlight() {
		return this.mostInFlight.get();
	}

	/** Calls that came while a call with the same {@code webhook-id} was in flight. */
	public int repeatsInFlight() {
		return this.repeatsInFlight.get();
	}

	private String sign(String id, String timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			byte[] key = Base64.getDecoder().decode(this.secret.replaceFirst("^whsec_", ""));
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return Base64.getEncoder()
				.encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			return "";
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
