package io.journeys.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged service run as a process of its own, for tests that start or kill one. */
public final class ServiceProcess {

	private ServiceProcess() {
	}

	/** The jar {@code ./mvnw verify} built in {@code target/}. */
	public static Path packagedJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter(path -> path.getFileName().toString().matches("journeys-service-.*\\.jar"))
				.map(Path::toAbsolutePath)
				.findFirst()
				.orElseThrow(() -> new AssertionError("no packaged jar in target/: run ./mvnw verify"));
		}
	}

	/** The {@code java} of the JDK running the tests. */
	public static String java() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The packaged jar on {@code database}, listening on {@code port}, its output in
	 * {@code log}; {@code env} adds to (or overrides) the settings every such test needs.
	 */
	public static Process start(TestDatabase database, int port, Path log, String adminToken, Map<String, String> env)
			throws IOException {
		ProcessBuilder builder = new ProcessBuilder(java(), "-jar", packagedJar().toString()).redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> environment = builder.environment();
		environment.put("SPRING_DATASOURCE_URL", database.url());
		environment.put("SPRING_DATASOURCE_USERNAME", database.username());
		environment.put("SPRING_DATASOURCE_PASSWORD", database.password());
		environment.put("SERVER_PORT", Integer.toString(port));
		environment.put("JOURNEYS_ADMIN_TOKEN", adminToken);
		environment.put("JOURNEYS_RUNNER_POLL_INTERVAL", "200ms");
		environment.putAll(env);
		return builder.start();
	}

	/** Waits (every 100 ms, at most {@code timeout}) until {@code condition} holds. */
	public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as(what).isLessThan(deadline);
			Thread.sleep(100);
		}
	}

	/** Waits (at most 3 minutes) until {@code url} answers 200, and returns its body. */
	public static String awaitHealth(HttpClient client, String url, Process service, Path log) throws Exception {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (Instant.now().isBefore(deadline)) {
			assertThat(service.isAlive()).as("the service died:\n%s", Files.readString(log)).isTrue();
			try {
				HttpResponse<String> response = client.send(
						HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return response.body();
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new AssertionError("no health within 3 minutes:\n" + Files.readString(log));
	}

}
