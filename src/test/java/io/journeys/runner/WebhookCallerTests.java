package io.journeys.runner;

import java.net.InetAddress;
import java.time.Duration;

import io.journeys.journey.WebhookProperties;
import io.journeys.runner.WebhookCaller.Outcome;
import io.journeys.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a webhook call may reach and read, against a real receiver on this machine's
 * loopback.
 */
class WebhookCallerTests {

	private static final java.util.List<byte[]> KEY = java.util.List.of(new byte[24]);

	private static WebhookCaller caller(boolean allowHttp, boolean allowPrivate) {
		return new WebhookCaller(
				new WebhookProperties(allowHttp, allowPrivate, Duration.ofSeconds(2), Duration.ofSeconds(2), 8,
						Duration.ofSeconds(15), 4, null, Duration.ofHours(24)),
				new RunnerProperties(true, Duration.ofSeconds(1), 10));
	}

	@Test
	void internalAddressesAreRefusedAtConnectTimeUnlessAllowed() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			Outcome refused = caller(true, false).call(receiver.url(), "msg_1", 1, "{}", KEY);
			assertThat(refused.delivered()).isFalse();
			assertThat(refused.error()).as("the address itself is not told")
				.isEqualTo("the host resolves to an internal address");
			String byName = receiver.url().replace("127.0.0.1", "localhost");
			assertThat(caller(true, false).call(byName, "msg_1", 1, "{}", KEY).error())
				.isEqualTo("the host resolves to an internal address");
			assertThat(receiver.calls()).isEmpty();
			assertThat(caller(true, true).call(receiver.url(), "msg_1", 1, "{}", KEY).delivered()).isTrue();
			assertThat(receiver.calls()).hasSize(1);
		}
	}

	@Test
	void httpIsRefusedUnlessAllowed() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			assertThat(caller(false, true).call(receiver.url(), "msg_1", 1, "{}", KEY).error())
				.isEqualTo("http URLs are not allowed");
			assertThat(receiver.calls()).isEmpty();
		}
	}

	@Test
	void redirectsAreNotFollowedAndAnswersAreReadOnlyInPart() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			receiver.answer(() -> 307);
			Outcome redirected = caller(true, true).call(receiver.url(), "msg_1", 1, "{}", KEY);
			assertThat(redirected.delivered()).isFalse();
			assertThat(redirected.status()).isEqualTo(307);
			assertThat(receiver.calls()).hasSize(1);
			receiver.answer(() -> 500);
			receiver.reply("x".repeat(100_000));
			Outcome failed = caller(true, true).call(receiver.url(), "msg_1", 1, "{}", KEY);
			assertThat(failed.error()).hasSize(WebhookCaller.EXCERPT);
		}
	}

	@Test
	void aRefusedConnectionIsAFailedCallNotAnError() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		Outcome refused = caller(true, true).call("http://127.0.0.1:" + port + "/", "msg_1", 1, "{}", KEY);
		assertThat(refused.delivered()).isFalse();
		assertThat(refused.error()).isEqualTo("connection refused or unreachable");
	}

	/**
	 * A server that answers with {@code head} and then sends one more byte every 100 ms,
	 * for ever.
	 */
	private static java.net.ServerSocket trickling(String head) throws Exception {
		java.net.ServerSocket server = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress());
		Thread thread = new Thread(() -> {
			try (java.net.Socket socket = server.accept()) {
				var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()));
				while (!in.readLine().isEmpty()) {
					// the request's headers
				}
				var out = socket.getOutputStream();
				out.write(head.getBytes());
				while (true) {
					out.write(head.contains("chunked") ? "1\r\nx\r\n".getBytes() : "x".getBytes());
					out.flush();
					Thread.sleep(100);
				}
			}
			catch (Exception ex) {
				// the caller hung up
			}
		});
		thread.setDaemon(true);
		thread.start();
		return server;
	}

	@Test
	void aTricklingAnswerIsCutAtTheTimeout() throws Exception {
		try (var body = trickling("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
				var header = trickling("HTTP/1.1 200 OK\r\nX-Slow: ")) {
			long start = System.nanoTime();
			Outcome answered = caller(true, true).call("http://127.0.0.1:" + body.getLocalPort() + "/", "msg_1", 1,
					"{}", KEY);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			assertThat(answered.status()).as("a 2xx whose body never ends still answered 2xx").isEqualTo(200);
			start = System.nanoTime();
			Outcome cut = caller(true, true).call("http://127.0.0.1:" + header.getLocalPort() + "/", "msg_1", 1, "{}",
					KEY);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			assertThat(cut.delivered()).isFalse();
			assertThat(cut.error()).isEqualTo("timed out");
		}
	}

	@Test
	void whichAddressesAreInternal() throws Exception {
		for (String internal : new String[] { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
				"100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1", "198.18.0.1", "240.0.0.1",
				"64:ff9b::a9fe:a9fe", "2002:7f00:1::", "::10.0.0.1" }) {
			assertThat(WebhookCaller.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
		}
		for (String external : new String[] { "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1",
				"64:ff9b::808:808", "2002:808:808::" }) {
			assertThat(WebhookCaller.isInternal(InetAddress.getByName(external))).as(external).isFalse();
		}
	}

}
