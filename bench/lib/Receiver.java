import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * The runner benchmark's webhook receiver (bench/runner.sh): answers every POST 200 at once, and
 * counts them. GET /stats answers {"count", "first_ns", "last_ns"}; POST /reset starts again.
 * Run with `java bench/lib/Receiver.java PORT THREADS [STATUS]`: STATUS (default 200) is the
 * status of every answer to /hook (bench/events.sh answers 500, so enrollments stay at their
 * webhook step, retrying).
 */
public class Receiver {

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		int threads = Integer.parseInt(args[1]);
		int status = args.length > 2 ? Integer.parseInt(args[2]) : 200;
		AtomicLong count = new AtomicLong();
		AtomicLong first = new AtomicLong();
		AtomicLong last = new AtomicLong();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
		server.setExecutor(Executors.newFixedThreadPool(threads));
		server.createContext("/stats", exchange -> {
			byte[] body = ("{\"count\": " + count.get() + ", \"first_ns\": " + first.get() + ", \"last_ns\": "
					+ last.get() + "}").getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.createContext("/reset", exchange -> {
			count.set(0);
			first.set(0);
			last.set(0);
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
		server.createContext("/hook", exchange -> {
			try (InputStream in = exchange.getRequestBody()) {
				in.readAllBytes();
			}
			long now = System.nanoTime();
			first.compareAndSet(0, now);
			last.set(now);
			count.incrementAndGet();
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		server.start();
	}

}
