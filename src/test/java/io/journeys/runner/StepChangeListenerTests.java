package io.journeys.runner;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.journeys.journey.Step;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a removed step's enrollments go: along the old graph to the first kept step. */
class StepChangeListenerTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static Step wait(String id, String next) {
		return new Step(id, Step.WAIT, "PT1M", null, null, null, null, next, null, null, null, null, null, null, null,
				null);
	}

	static Step branch(String id, String caseNext, String otherwise) {
		return new Step(id, Step.BRANCH, null, null, null, null, null, null, null,
				List.of(new Step.Case(JSON.readTree("{\"attribute\": \"x\", \"exists\": true}"), caseNext)), otherwise,
				null, null, null, null, null);
	}

	static Step split(String id, String first, String second) {
		return new Step(id, Step.SPLIT, null, null, null, null, null, null, null, null, null,
				List.of(new Step.Path(1, first), new Step.Path(1, second)), null, null, null, null);
	}

	static Optional<String> target(List<Step> before, String removed, String... kept) {
		int at = before.stream().map(Step::id).toList().indexOf(removed);
		return StepChangeListener.keptAfter(before, at, Set.of(kept)).map(Step::id);
	}

	@Test
	void aRemovedStepsEnrollmentsFollowItsNextNotTheArray() {
		List<Step> before = List.of(wait("a", "c"), wait("b", null), wait("c", null));
		assertThat(target(before, "a", "b", "c")).contains("c");
		assertThat(target(before, "b", "a", "c")).as("no next: the following step").contains("c");
		assertThat(target(before, "c", "a", "b")).as("the last step: they complete").isEmpty();
	}

	@Test
	void removedStepsInARowArePassedThrough() {
		List<Step> before = List.of(wait("a", "c"), wait("b", "end"), wait("c", "d"), wait("d", null), wait("e", null));
		assertThat(target(before, "a", "b", "e")).contains("e");
		assertThat(target(before, "a", "b")).isEmpty();
	}

	@Test
	void aBranchGoesItsOtherwiseWayAndASplitItsFirstPath() {
		List<Step> before = List.of(branch("who", "x", "y"), split("ab", "y", "x"), wait("x", "end"), wait("y", "end"));
		assertThat(target(before, "who", "ab", "x", "y")).contains("y");
		assertThat(target(before, "ab", "who", "x", "y")).contains("y");
		assertThat(target(List.of(branch("who", "x", null), wait("x", "end"), wait("y", "end")), "who", "x", "y"))
			.as("otherwise absent: the following step")
			.contains("x");
	}

}
