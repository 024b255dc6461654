package io.journeys;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} turns every console line into ECS JSON
 * carrying the request id. Checked on a separate JVM started the way production starts,
 * because logging is set up once per process and the other tests keep the default human
 * lines.
 */
class StructuredLoggingIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void ecsJsonLinesCarryTheRequestIdWhenTheEnvironmentAsksForThem() throws Exception {
		TestDatabase database = TestDatabase.get();
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-cp", classPath(),
				JourneysApplication.class.getName())
			.redirectErrorStream(true);
		Map<String, String> env = builder.environment();
		env.put("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
		env.put("SPRING_DATASOURCE_URL", database.url());
		env.put("SPRING_DATASOURCE_USERNAME", database.username());
		env.put("SPRING_DATASOURCE_PASSWORD", database.password());
		env.put("SERVER_PORT", Integer.toString(port));
		env.put("JOURNEYS_ADMIN_TOKEN", "");
		env.put("JOURNEYS_RATE_LIMIT_ENABLED", "false");
		Process process = builder.start();
		List<String> lines = new CopyOnWriteArrayList<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				// the process ended
			}
		});
		reader.setDaemon(true);
		reader.start();
		try {
			HttpClient client = HttpClient.newHttpClient();
			String base = "http://127.0.0.1:" + port;
			awaitHealth(client, base, process, lines);
			String requestId = "structured-" + UUID.randomUUID();
			HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/contacts"))
				.header("X-Request-Id", requestId)
				.header("Authorization", "Bearer jrn_not-a-key")
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(401);

			JsonNode line = await(() -> lines.stream().filter(text -> text.contains(requestId)).findFirst(), lines)
				.map(JSON::readTree)
				.orElseThrow();
			assertThat(line.get("request_id").asString()).isEqualTo(requestId);
			assertThat(line.at("/log/logger").asString()).isEqualTo("io.journeys.web.RequestLogFilter");
			assertThat(line.get("status").asInt()).isEqualTo(401);
			assertThat(line.get("path").asString()).isEqualTo("/v1/contacts");
			assertThat(line.get("message").asString()).contains("status=401").contains("request_id=" + requestId);
			assertThat(line.at("/ecs/version").isMissingNode()).isFalse();
			assertThat(lines.stream().filter(text -> text.contains("Started JourneysApplication")))
				.as("the start line is JSON too")
				.allMatch(text -> text.startsWith("{\""));
			assertThat(String.join("\n", lines)).doesNotContain("jrn_not-a-key");
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private static void awaitHealth(HttpClient client, String base, Process process, List<String> lines)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
		while (Instant.now().isBefore(deadline)) {
			assertThat(process.isAlive()).as("the service died:\n%s", String.join("\n", lines)).isTrue();
			try {
				HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new AssertionError("the service did not start:\n" + String.join("\n", lines));
	}

	private static <T> Optional<T> await(java.util.function.Supplier<Optional<T>> probe, List<String> lines)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
		while (Instant.now().isBefore(deadline)) {
			Optional<T> found = probe.get();
			if (found.isPresent()) {
				return found;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("no such log line in:\n" + String.join("\n", lines));
	}

	private static String javaExecutable() {
		return ProcessHandle.current()
			.info()
			.command()
			.orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
	}

	/**
	 * The application's classes and libraries, as the packaged jar has them: the test
	 * class path without the test classes (whose configurations would otherwise be
	 * scanned).
	 */
	private static String classPath() {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String main = java.util.Arrays.stream(classPath.split(File.pathSeparator))
			.filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes" + File.separator))
			.collect(java.util.stream.Collectors.joining(File.pathSeparator));
		assertThat(main).contains("classes");
		return main;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
