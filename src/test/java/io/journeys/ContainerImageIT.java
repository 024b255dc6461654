package io.journeys;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.journeys.support.ServiceProcess.awaitHealth;
import static io.journeys.support.ServiceProcess.freePort;
import static io.journeys.support.ServiceProcess.java;
import static io.journeys.support.ServiceProcess.packagedJar;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container's start without a container: the packaged jar is extracted into its
 * layers with the Dockerfile's command, the layers are copied into one folder in the
 * Dockerfile's order, and the Dockerfile's ENTRYPOINT is started there against a fresh
 * test database until the HEALTHCHECK's endpoint answers. Runs in {@code verify}
 * (Failsafe), after the jar is built.
 */
class ContainerImageIT {

	@Test
	void theImageStartCommandServesHealthFromTheLayeredJar(@TempDir Path work) throws Exception {
		ContainerFilesTests.Dockerfile dockerfile = ContainerFilesTests.Dockerfile.read();
		Path jar = packagedJar();
		Path extracted = work.resolve("extracted");
		run(work, List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--layers", "--launcher",
				"--destination", extracted.toString()));

		Path app = Files.createDirectories(work.resolve("app"));
		for (String copy : dockerfile.instructions("COPY")) {
			if (copy.startsWith("--from=build /build/extracted/")) {
				String layer = copy.substring("--from=build /build/extracted/".length()).split("/")[0];
				copyTree(extracted.resolve(layer), app);
			}
		}

		List<String> command = new ArrayList<>(dockerfile.entrypoint());
		assertThat(command.get(0)).isEqualTo("java");
		command.set(0, java());
		TestDatabase database = TestDatabase.get();
		int port = freePort();
		ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("service.log").toFile());
		Map<String, String> env = builder.environment();
		env.put("SPRING_DATASOURCE_URL", database.url());
		env.put("SPRING_DATASOURCE_USERNAME", database.username());
		env.put("SPRING_DATASOURCE_PASSWORD", database.password());
		env.put("SERVER_PORT", Integer.toString(port));
		Process service = builder.start();
		try {
			HttpClient client = HttpClient.newHttpClient();
			String health = awaitHealth(client, "http://127.0.0.1:" + port + "/actuator/health", service,
					work.resolve("service.log"));
			assertThat(health).isEqualTo("{\"status\":\"UP\"}");
			HttpResponse<String> readiness = client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(Files.readString(work.resolve("service.log"))).contains("Started JourneysApplication");
		}
		finally {
			service.destroy();
			if (!service.waitFor(30, TimeUnit.SECONDS)) {
				service.destroyForcibly();
			}
		}
	}

	private static void run(Path directory, List<String> command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("%s:\n%s", command, output).isZero();
	}

	private static void copyTree(Path from, Path to) throws IOException {
		if (!Files.exists(from)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path source : (Iterable<Path>) paths::iterator) {
				Path target = to.resolve(from.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

}
