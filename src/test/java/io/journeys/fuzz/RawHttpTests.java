package io.journeys.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests Tomcat refuses before they reach the service, sent byte for byte over a raw
 * socket: each answer has a status line, headers and a JSON body that says what is
 * refused, whatever came before on the connection handler, and nothing of the request (a
 * key, a query string) reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class RawHttpTests extends ApiTests {

	private static final List<String> MALFORMED = List.of("GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
			"G\u00e9T / HTTP/1.1\r\nHost: x\r\n\r\n", "GET /v1/contacts?a=<script> HTTP/1.1\r\nHost: x\r\n\r\n");

	@Test
	void malformedRequestsAfterAnHttp09RequestStillGetAStatusLine() throws IOException {
		for (int round = 0; round < 5; round++) {
			String http09 = exchange("GET /v1/contacts\r\n");
			assertThat(http09).as("HTTP/0.9 has no status line by definition").startsWith("{\"error\"");
			for (String request : MALFORMED) {
				assertThat(exchange(request)).as("after HTTP/0.9, %s", request.substring(0, 12))
					.startsWith("HTTP/1.1 400 ")
					.contains("\r\nContent-Type: application/json")
					.endsWith("\r\n\r\n{\"error\":\"Bad request\"}");
			}
		}
	}

	@Test
	void unsupportedVersionsAndCodingsSayWhatIsRefused() throws IOException {
		assertThat(exchange("GET / HTTP/2.0\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 505 ")
			.endsWith("{\"error\":\"HTTP version not supported: use HTTP/1.1\"}");
		assertThat(exchange("POST /v1/contacts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"))
			.startsWith("HTTP/1.1 501 ")
			.endsWith(
					"{\"error\":\"Transfer-Encoding is not supported: send the body with Content-Length or chunked\"}");
		assertThat(exchange("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"))
			.startsWith("HTTP/1.1 501 ")
			.endsWith("{\"error\":\"The CONNECT method is not supported\"}");
	}

	/**
	 * Tomcat logs the first parse failure of each connection handler at INFO, quoting the
	 * request; whether one of the handlers here is still fresh depends on what ran
	 * before, so the loggers' levels are asserted as well as the captured output.
	 */
	@Test
	void keysAndQueryStringsOfRefusedRequestsStayOutOfTheLog(CapturedOutput output) throws IOException {
		for (String parser : List.of("org.apache.coyote.http11.Http11Processor",
				"org.apache.coyote.http2.Http2UpgradeHandler", "org.apache.tomcat.util.http.parser.Cookie")) {
			assertThat(org.apache.juli.logging.LogFactory.getLog(parser).isInfoEnabled()).as(parser).isFalse();
		}
		Tenant tenant = newTenant();
		for (int round = 0; round < 3; round++) {
			assertThat(exchange("GET /v1/contacts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + tenant.token()
					+ "\u0000\r\n\r\n"))
				.startsWith("HTTP/1.1 400 ");
			assertThat(exchange("GET /v1/contacts?secret-query-4711=<x> HTTP/1.1\r\nHost: x\r\n\r\n"))
				.startsWith("HTTP/1.1 400 ");
			assertThat(exchange("GET /v1/contacts HTTP/1.1\r\nHost: x\r\nCookie: a=secret-cookie-4711\u0001\r\n"
					+ "Authorization: Bearer " + tenant.token() + "\r\n\r\n"))
				.startsWith("HTTP/1.1 ");
		}
		assertThat(output.getAll()).doesNotContain(tenant.token())
			.doesNotContain(tenant.token().substring(4, 20))
			.doesNotContain("secret-query-4711")
			.doesNotContain("secret-cookie-4711");
	}

	/**
	 * One request on a new connection; the whole answer, read until the server closes.
	 */
	private String exchange(String request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
			socket.setSoTimeout(5_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n; (n = in.read(buffer)) > 0;) {
					answer.write(buffer, 0, n);
					if (isComplete(answer.toString(StandardCharsets.ISO_8859_1))) {
						break;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				// a kept-alive connection: what arrived is the answer
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

	/**
	 * A complete answer with a Content-Length, so kept-alive connections need no timeout.
	 */
	private static boolean isComplete(String answer) {
		int end = answer.indexOf("\r\n\r\n");
		if (!answer.startsWith("HTTP/") || end < 0) {
			return false;
		}
		for (String line : answer.substring(0, end).split("\r\n")) {
			if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
				return answer.length() - end - 4 >= Integer.parseInt(line.substring(15).strip());
			}
		}
		return false;
	}

}
