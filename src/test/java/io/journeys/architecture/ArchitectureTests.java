package io.journeys.architecture;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package-by-feature rules of the code base: a feature
 * ({@code io.journeys.<feature>}) uses only what other features make public, keeps its
 * entities and repositories to itself, and its persistence code knows nothing of HTTP.
 */
@AnalyzeClasses(packages = "io.journeys", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final Pattern FEATURE = Pattern.compile("io\\.journeys\\.([a-z]+)(\\..*)?");

	/**
	 * Spring Data repositories, {@code @Repository} classes and the implementations of
	 * repository fragments.
	 */
	static final DescribedPredicate<JavaClass> PERSISTENCE = DescribedPredicate.describe("entities and repositories",
			ArchitectureTests::isPersistence);

	/**
	 * Classes of {@code io.journeys.web} that deal in servlets or Spring MVC: filters,
	 * handlers, responses.
	 */
	static final DescribedPredicate<JavaClass> WEB_HTTP = DescribedPredicate.describe("HTTP classes of io.journeys.web",
			type -> type.getPackageName().startsWith("io.journeys.web") && type.getDirectDependenciesFromSelf()
				.stream()
				.anyMatch(dependency -> isServletOrMvc(dependency.getTargetClass())));

	@ArchTest
	static final ArchRule featuresUseOnlyPublicTypesOfOtherFeatures = classes().that()
		.resideInAPackage("io.journeys..")
		.should(new ArchCondition<>("use only public types of other features") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
					JavaClass target = dependency.getTargetClass().getBaseComponentType();
					Optional<String> from = feature(type);
					Optional<String> to = feature(target);
					if (from.isPresent() && to.isPresent() && !from.equals(to) && !isEffectivelyPublic(target)) {
						events.add(SimpleConditionEvent.violated(dependency,
								dependency.getDescription() + " reaches a non-public type of feature " + to.get()));
					}
				}
			}

		});

	@ArchTest
	static final ArchRule entitiesAndRepositoriesAreNotPublic = classes().that(PERSISTENCE).should().notBePublic();

	@ArchTest
	static final ArchRule entitiesAndRepositoriesAreUsedOnlyInTheirFeature = classes()
		.should(new ArchCondition<>("not use entities or repositories of another feature") {

			@Override
			public void check(JavaClass type, ConditionEvents events) {
				for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
					JavaClass target = dependency.getTargetClass().getBaseComponentType();
					if (isPersistence(target) && !feature(type).equals(feature(target))) {
						events.add(SimpleConditionEvent.violated(dependency,
								dependency.getDescription() + " uses persistence of another feature"));
					}
				}
			}

		});

	@ArchTest
	static final ArchRule persistenceKnowsNothingOfHttp = noClasses().that(PERSISTENCE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..")
		.orShould()
		.dependOnClassesThat(WEB_HTTP);

	static Optional<String> feature(JavaClass type) {
		Matcher matcher = FEATURE.matcher(type.getPackageName());
		return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

	static boolean isPersistence(JavaClass type) {
		if (!type.getPackageName().startsWith("io.journeys")) {
			return false;
		}
		if (type.isAnnotatedWith(Entity.class)
				|| type.isAssignableTo(org.springframework.data.repository.Repository.class)
				|| type.isAnnotatedWith(org.springframework.stereotype.Repository.class)) {
			return true;
		}
		// the implementation of a custom fragment (e.g. ContactQueriesImpl for
		// ContactQueries)
		return type.getAllRawInterfaces()
			.stream()
			.anyMatch(fragment -> fragment.getPackageName().startsWith("io.journeys") && fragment.getSubclasses()
				.stream()
				.anyMatch(sub -> sub.isInterface()
						&& sub.isAssignableTo(org.springframework.data.repository.Repository.class)));
	}

	private static boolean isServletOrMvc(JavaClass type) {
		String name = type.getPackageName();
		return name.startsWith("jakarta.servlet") || name.startsWith("org.springframework.web");
	}

	private static boolean isEffectivelyPublic(JavaClass type) {
		for (Optional<JavaClass> current = Optional.of(type); current
			.isPresent(); current = current.get().getEnclosingClass()) {
			if (!current.get().getModifiers().contains(JavaModifier.PUBLIC)) {
				return false;
			}
		}
		return true;
	}

}
