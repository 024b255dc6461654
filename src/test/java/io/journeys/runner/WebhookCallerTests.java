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
			assertThat(refused.error()).isEqualTo("the address 127.0.0.1 is internal");
			String byName = receiver.url().replace("127.0.0.1", "localhost");
			assertThat(caller(true, false).call(byName, "msg_1", 1, "{}", KEY).error()).endsWith("is internal");
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

	@Test
	void whichAddressesAreInternal() throws Exception {
		for (String internal : new String[] { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
				"100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "224.0.0.1", "198.18.0.1", "240.0.0.1" }) {
			assertThat(WebhookCaller.isInternal(InetAddress.getByName(internal))).as(internal).isTrue();
		}
		for (String external : new String[] { "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1" }) {
			assertThat(WebhookCaller.isInternal(InetAddress.getByName(external))).as(external).isFalse();
		}
	}

}
