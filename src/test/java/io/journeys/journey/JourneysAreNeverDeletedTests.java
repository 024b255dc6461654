package io.journeys.journey;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Enrollments have no foreign key to their journey (V4): what keeps a journey under every
 * enrollment is that nothing deletes journeys. These checks fail the build when something
 * starts to.
 */
class JourneysAreNeverDeletedTests {

	private static final Pattern DELETES_JOURNEYS = Pattern
		.compile("(delete\\s+from|truncate(\\s+table)?)\\s+(only\\s+)?(public\\.)?journeys\\b");

	@Test
	void theRepositoryOffersNoDelete() {
		List<String> deletes = Arrays.stream(JourneyRepository.class.getMethods())
			.map(Method::getName)
			.filter(name -> name.toLowerCase(Locale.ROOT).contains("delete"))
			.toList();
		assertThat(deletes).isEmpty();
	}

	@Test
	void noStatementOfTheServiceDeletesAJourney() throws IOException {
		try (Stream<Path> files = Files.walk(Path.of("src", "main"))) {
			List<Path> offenders = files.filter(Files::isRegularFile)
				.filter(file -> file.toString().endsWith(".java") || file.toString().endsWith(".sql"))
				.filter(file -> DELETES_JOURNEYS.matcher(read(file)).find())
				.toList();
			assertThat(offenders).isEmpty();
		}
	}

	@Test
	void thePatternFindsADelete() {
		assertThat(DELETES_JOURNEYS.matcher("delete from journeys where id = 1").find()).isTrue();
		assertThat(DELETES_JOURNEYS.matcher("DELETE FROM public.journeys".toLowerCase(Locale.ROOT)).find()).isTrue();
		assertThat(DELETES_JOURNEYS.matcher("delete from journeys_archive").find()).isFalse();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file).toLowerCase(Locale.ROOT);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
