package io.journeys.dev;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpServer;

/**
 * Development mode's webhook receiver: it prints every call the demo journey makes,
 * checks its Standard Webhooks signature against the journey's secret, and answers 204.
 */
final class DevWebhookReceiver {

	private final HttpServer server;

	private DevWebhookReceiver(HttpServer server) {
		this.server = server;
	}

	/**
	 * {@code secrets}: of each journey that calls it; a call signed by any of them is
	 * valid.
	 */
	static DevWebhookReceiver start(int port, Supplier<List<String>> secrets) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
		server.createContext("/", exchange -> {
			try (InputStream in = exchange.getRequestBody()) {
				String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				String id = exchange.getRequestHeaders().getFirst("webhook-id");
				String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
				String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
				boolean valid = signature != null && secrets.get()
					.stream()
					.anyMatch(secret -> signature.equals("v1," + sign(secret, id, timestamp, body)));
				System.out.printf("%n[dev webhook receiver] %s %s (signature %s)%n  webhook-id: %s%n  %s%n",
						exchange.getRequestMethod(), exchange.getRequestURI(), valid ? "valid" : "INVALID", id, body);
				exchange.sendResponseHeaders(204, -1);
			}
			finally {
				exchange.close();
			}
		});
		server.start();
		return new DevWebhookReceiver(server);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/demo-webhook";
	}

	private static String sign(String secret, String id, String timestamp, String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.replaceFirst("^whsec_", "")), "HmacSHA256"));
			return Base64.getEncoder()
				.encodeToString(mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			return "";
		}
	}

}
