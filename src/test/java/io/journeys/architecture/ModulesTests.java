package io.journeys.architecture;

import io.journeys.JourneysApplication;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The feature packages are Spring Modulith modules: no cycles between them, and none
 * reaches into another's internals.
 */
class ModulesTests {

	@Test
	void modulesHaveNoCyclesAndUseOnlyEachOthersApi() {
		ApplicationModules.of(JourneysApplication.class).verify();
	}

}
