package io.journeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Dockerfile and docker-compose.yml promise, read from the files (no Docker
 * engine is needed; {@code ContainerImageIT} runs the image's start command against the
 * packaged jar).
 */
class ContainerFilesTests {

	@Test
	void theDockerfileBuildsWithTheWrapperAndRunsTheLayeredJarAsANonRootUser() throws IOException {
		Dockerfile dockerfile = Dockerfile.read();
		List<String> stages = dockerfile.instructions("FROM");
		assertThat(stages).hasSize(2);
		assertThat(stages.get(0)).matches("eclipse-temurin:(17|21)-jdk AS build");
		assertThat(stages.get(1)).isEqualTo("eclipse-temurin:21-jre");
		assertThat(dockerfile.instructions("RUN")).anyMatch(run -> run.contains("./mvnw") && run.contains("package"))
			.anyMatch(run -> run.contains("java -Djarmode=tools -jar app.jar extract --layers --launcher"));
		assertThat(dockerfile.instructions("COPY")).filteredOn(copy -> copy.startsWith("--from=build"))
			.containsExactly("--from=build /build/extracted/dependencies/ ./",
					"--from=build /build/extracted/spring-boot-loader/ ./",
					"--from=build /build/extracted/snapshot-dependencies/ ./",
					"--from=build /build/extracted/application/ ./");
		assertThat(dockerfile.instructions("USER")).singleElement().isNotIn("root", "0", "0:0");
		assertThat(dockerfile.instructions("HEALTHCHECK")).singleElement().asString().contains("/actuator/health");
		assertThat(dockerfile.entrypoint()).last().isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
	}

	@Test
	void composeRunsTheServiceOnceItsPostgres17IsHealthy() throws IOException {
		Map<String, Object> compose = new Yaml()
			.load(Files.readString(Path.of("docker-compose.yml"), StandardCharsets.UTF_8));
		Map<String, Map<String, Object>> services = map(compose.get("services"));
		Map<String, Object> postgres = services.get("postgres");
		assertThat(postgres.get("image")).isEqualTo("postgres:17");
		assertThat(map(postgres.get("healthcheck")).get("test").toString()).contains("pg_isready");
		assertThat((List<String>) cast(postgres.get("volumes"))).singleElement()
			.asString()
			.startsWith("postgres-data:");
		assertThat(map(compose.get("volumes"))).containsKey("postgres-data");
		Map<String, Object> journeys = services.get("journeys");
		assertThat(map(map(journeys.get("depends_on")).get("postgres")).get("condition")).isEqualTo("service_healthy");
		assertThat(map(journeys.get("environment"))).containsKeys("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
				"SPRING_DATASOURCE_PASSWORD", "JOURNEYS_ADMIN_TOKEN");
		assertThat(map(journeys.get("environment")).get("SPRING_DATASOURCE_URL").toString())
			.startsWith("jdbc:postgresql://postgres:5432/");
	}

	/**
	 * Issue 19: a user tries the service on Citus from the repository alone: the
	 * {@code citus} profile has a coordinator and two workers of the official image, a
	 * one-shot step that registers the workers, and the service on the coordinator once
	 * that step has succeeded; the plain services stay outside the profile. No user
	 * document sends anyone to CI's harness folder except as CI's.
	 */
	@Test
	void composesCitusProfileRunsTheServiceOnACoordinatorAndTwoWorkers() throws IOException {
		Map<String, Object> compose = new Yaml()
			.load(Files.readString(Path.of("docker-compose.yml"), StandardCharsets.UTF_8));
		Map<String, Map<String, Object>> services = map(compose.get("services"));
		Map<String, Map<String, Object>> citus = new java.util.TreeMap<>();
		services.forEach((name, service) -> {
			if (String.valueOf(service.get("profiles")).contains("citus")) {
				citus.put(name, service);
			}
		});
		assertThat(services.get("postgres")).doesNotContainKey("profiles");
		assertThat(services.get("journeys")).doesNotContainKey("profiles");
		assertThat(citus).containsOnlyKeys("citus-coordinator", "citus-worker-1", "citus-worker-2", "citus-setup",
				"journeys-citus");
		citus.values()
			.stream()
			.filter(service -> service.containsKey("image") && !service.containsKey("build"))
			.forEach(node -> assertThat(node.get("image").toString()).startsWith("citusdata/citus:13."));
		String setup = String.valueOf(citus.get("citus-setup").get("command"));
		assertThat(setup).contains("citus_set_coordinator_host")
			.contains("citus_add_node('citus-worker-1'")
			.contains("citus_add_node('citus-worker-2'");
		Map<String, Object> service = citus.get("journeys-citus");
		assertThat(map(map(service.get("depends_on")).get("citus-setup")).get("condition"))
			.isEqualTo("service_completed_successfully");
		assertThat(map(service.get("environment")).get("SPRING_DATASOURCE_URL").toString())
			.startsWith("jdbc:postgresql://citus-coordinator:5432/");
		for (String document : List.of("README.md", "docs/scale-out.md", "docs/reliability.md", "bench/README.md")) {
			String text = Files.readString(Path.of(document), StandardCharsets.UTF_8);
			assertThat(text).as(document).containsPattern("--profile citus|`citus` profile");
			java.util.regex.Matcher harness = java.util.regex.Pattern.compile("\\.\\./shared/citus").matcher(text);
			while (harness.find()) {
				String around = text.substring(Math.max(0, harness.start() - 400),
						Math.min(text.length(), harness.end() + 400));
				assertThat(around).as("%s names ../shared/citus as CI's", document).containsIgnoringCase("CI");
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

	private static <V> Map<String, V> map(Object value) {
		return cast(value);
	}

	/** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
	record Dockerfile(List<String[]> lines) {

		static Dockerfile read() throws IOException {
			List<String[]> lines = new ArrayList<>();
			StringBuilder current = new StringBuilder();
			for (String line : Files.readAllLines(Path.of("Dockerfile"), StandardCharsets.UTF_8)) {
				if (line.isBlank() || line.stripLeading().startsWith("#")) {
					continue;
				}
				if (line.endsWith("\\")) {
					current.append(line, 0, line.length() - 1).append(' ');
					continue;
				}
				current.append(line);
				String instruction = current.toString().strip();
				int space = instruction.indexOf(' ');
				lines.add(new String[] { instruction.substring(0, space), instruction.substring(space + 1).strip() });
				current.setLength(0);
			}
			return new Dockerfile(lines);
		}

		List<String> instructions(String keyword) {
			return this.lines.stream().filter(line -> line[0].equals(keyword)).map(line -> line[1]).toList();
		}

		/** The exec-form ENTRYPOINT, e.g. {@code [java, ..., JarLauncher]}. */
		List<String> entrypoint() {
			String json = instructions("ENTRYPOINT").get(0);
			assertThat(json).startsWith("[").endsWith("]");
			return java.util.Arrays.stream(json.substring(1, json.length() - 1).split(","))
				.map(String::strip)
				.map(word -> word.substring(1, word.length() - 1))
				.toList();
		}

	}

}
