package io.journeys.journey;

import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.journeys.journey.Step.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SharesTests {

	@Test
	void overAHundredThousandContactsEachPathTakesItsWeightWithinOnePercent() {
		List<Path> paths = List.of(new Path(50, "a"), new Path(30, "b"), new Path(15, "c"), new Path(5, "d"));
		UUID journey = UUID.randomUUID();
		Random random = new Random(7);
		int[] taken = new int[paths.size()];
		int contacts = 100_000;
		for (int i = 0; i < contacts; i++) {
			taken[Shares.path(paths, new UUID(random.nextLong(), random.nextLong()), journey, "experiment")]++;
		}
		for (int i = 0; i < paths.size(); i++) {
			assertThat(taken[i] / (double) contacts).as("path %d", i)
				.isCloseTo(paths.get(i).weight() / 100.0, within(0.01));
		}
	}

	@Test
	void aContactTakesTheSamePathEveryTimeAndPathsDependOnTheStep() {
		List<Path> paths = List.of(new Path(1, "a"), new Path(1, "b"));
		UUID journey = UUID.randomUUID();
		int differ = 0;
		for (int i = 0; i < 1_000; i++) {
			UUID contact = UUID.randomUUID();
			int path = Shares.path(paths, contact, journey, "one");
			assertThat(Shares.path(paths, contact, journey, "one")).isEqualTo(path);
			differ += (path != Shares.path(paths, contact, journey, "two")) ? 1 : 0;
		}
		assertThat(differ).as("another step splits independently").isBetween(400, 600);
	}

	@Test
	void bucketsCoverTheTotalInOrder() {
		List<Path> paths = List.of(new Path(3, "a"), new Path(5, "b"), new Path(2, "c"));
		assertThat(Shares.buckets(paths, 0)).containsExactly(0, 3);
		assertThat(Shares.buckets(paths, 1)).containsExactly(3, 8);
		assertThat(Shares.buckets(paths, 2)).containsExactly(8, 10);
		assertThat(Shares.total(paths)).isEqualTo(10);
		assertThat(Shares.scale(0xffff_ffffL, 10)).isEqualTo(9);
		assertThat(Shares.scale(0, 10)).isZero();
	}

}
