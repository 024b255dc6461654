package io.journeys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every setting of the {@code @ConfigurationProperties} records is in the README's
 * configuration table under the environment variable that really sets it, and carries a
 * description (from the record's Javadoc, through the configuration processor) for IDEs.
 */
class ConfigurationDocumentationTests {

	private static final Pattern ENV_NAME = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

	@Test
	void theReadmeTableListsEverySettingByItsEnvironmentVariable() throws IOException {
		Set<String> documented = readmeVariables();
		List<String> missing = new ArrayList<>();
		for (Setting setting : settings()) {
			if (!documented.contains(setting.environmentVariable())) {
				missing.add(setting.environmentVariable() + " (" + setting.property() + ")");
			}
		}
		assertThat(missing).as("settings missing from the README's configuration table").isEmpty();
	}

	@Test
	void eachEnvironmentVariableReallySetsItsSetting() throws Exception {
		for (Setting setting : settings()) {
			Object unset = bind(setting, Map.of());
			Object set = bind(setting, Map.of(setting.environmentVariable(), sample(setting, unset)));
			assertThat(set).as("%s sets %s", setting.environmentVariable(), setting.property()).isNotEqualTo(unset);
		}
	}

	@Test
	void eachSettingHasADescriptionForIdes() throws IOException {
		Map<String, String> descriptions = metadataDescriptions();
		for (Setting setting : settings()) {
			assertThat(descriptions.get(setting.property()))
				.as("description of %s in the configuration metadata", setting.property())
				.isNotBlank();
		}
	}

	/**
	 * The settings of every {@code @ConfigurationProperties} record of the application.
	 */
	static List<Setting> settings() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		List<Setting> settings = new ArrayList<>();
		scanner.findCandidateComponents("io.journeys").forEach(candidate -> {
			Class<?> type = ClassUtils.resolveClassName(Objects.requireNonNull(candidate.getBeanClassName()), null);
			assertThat(type.isRecord()).as("%s is a record", type).isTrue();
			String prefix = type.getAnnotation(ConfigurationProperties.class).value();
			for (RecordComponent component : type.getRecordComponents()) {
				settings.add(new Setting(type, component, prefix + "." + kebab(component.getName())));
			}
		});
		assertThat(settings).isNotEmpty();
		return settings;
	}

	private static Set<String> readmeVariables() throws IOException {
		String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
		int start = readme.indexOf("\n## Configuration");
		assertThat(start).as("README has a Configuration section").isNotNegative();
		int end = readme.indexOf("\n## ", start + 1);
		Set<String> names = new LinkedHashSet<>();
		for (String line : readme.substring(start, end < 0 ? readme.length() : end).split("\n")) {
			if (line.startsWith("| `")) {
				Matcher matcher = ENV_NAME.matcher(line.split("\\|")[1]);
				while (matcher.find()) {
					names.add(matcher.group(1));
				}
			}
		}
		return names;
	}

	private static Object bind(Setting setting, Map<String, Object> environment) throws Exception {
		StandardEnvironment env = new StandardEnvironment();
		MutablePropertySources sources = env.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.addFirst(new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
		ConfigurationPropertySources.attach(env);
		String prefix = setting.type().getAnnotation(ConfigurationProperties.class).value();
		Object bound = Binder.get(env).bindOrCreate(prefix, Bindable.of(setting.type()));
		return Objects.requireNonNullElse(setting.component().getAccessor().invoke(bound), "(null)");
	}

	/** A value for the setting that differs from its default. */
	private static String sample(Setting setting, Object defaultValue) {
		Class<?> type = setting.component().getType();
		if (type == boolean.class || type == Boolean.class) {
			return Boolean.TRUE.equals(defaultValue) ? "false" : "true";
		}
		if (type == Duration.class) {
			return "7s";
		}
		if (type == DataSize.class) {
			return "7MB";
		}
		if (type == double.class || type == Double.class) {
			return "0.5";
		}
		if (type == long.class || type == int.class || type == Long.class || type == Integer.class) {
			return "7";
		}
		return "sample";
	}

	private static Map<String, String> metadataDescriptions() throws IOException {
		Map<String, String> descriptions = new java.util.HashMap<>();
		JsonMapper json = JsonMapper.builder().build();
		for (URL url : Collections.list(ConfigurationDocumentationTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : json.readTree(in).path("properties")) {
					if (property.path("name").asString().startsWith("journeys.")) {
						descriptions.put(property.get("name").asString(), property.path("description").asString(""));
					}
				}
			}
		}
		return descriptions;
	}

	private static String kebab(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * One setting: {@code journeys.rate-limit.capacity} is set by
	 * {@code JOURNEYS_RATE_LIMIT_CAPACITY}.
	 */
	record Setting(Class<?> type, RecordComponent component, String property) {

		String environmentVariable() {
			return this.property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
		}

	}

}
