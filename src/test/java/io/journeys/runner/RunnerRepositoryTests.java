package io.journeys.runner;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.SqlTimes;
import io.journeys.runner.ClaimedEnrollments.Claimed;
import io.journeys.runner.ClaimedEnrollments.Failure;
import io.journeys.runner.RunnerRepository.Filter;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import io.journeys.support.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunnerRepository}'s and {@link ClaimedEnrollments}' statements on PostgreSQL,
 * with the statements for one server and with the routed ones
 * ({@link DatabaseEngine#routedStatements}: the batch's statements name the company). The
 * other company of each test has a journey and enrollments of the same ids, which no
 * statement may touch.
 */
@RepositoryTest
class RunnerRepositoryTests {

	static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123456Z");

	static final Instant EARLIER = NOW.minusSeconds(1);

	static final Instant LATER = NOW.plus(Duration.ofHours(1));

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@Import({ RunnerRepository.class, io.journeys.lifecycle.LifecycleOutbox.class, ClaimedEnrollments.class,
			DatabaseEngine.class })
	static class Repository {

	}

	@Nested
	class OneServer extends Statements {

		@Test
		void theStatementsAreTheOnesForOneServer(@Autowired DatabaseEngine engine) {
			assertThat(engine.routedStatements()).as("unless the tests run on Citus").isEqualTo(engine.citus());
		}

	}

	/** The statements written for Citus, on whichever PostgreSQL the tests run. */
	@Nested
	@TestPropertySource(properties = "journeys.database.routed-statements=true")
	class Routed extends Statements {

		@Test
		void theStatementsAreTheRoutedOnes(@Autowired DatabaseEngine engine) {
			assertThat(engine.routedStatements()).isTrue();
		}

	}

	/** Where an enrollment stands. */
	record State(String status, @Nullable String step, @Nullable Instant due, int attempts) {
	}

	abstract static class Statements {

		@Autowired
		RunnerRepository runner;

		@Autowired
		ClaimedEnrollments claims;

		@Autowired
		JdbcClient jdbc;

		@Autowired
		TransactionTemplate transaction;

		Rows rows;

		UUID company;

		UUID other;

		UUID journey;

		@BeforeEach
		void twoCompaniesWithAJourneyOfTheSameId() {
			this.rows = new Rows(this.jdbc);
			this.company = this.rows.company();
			this.other = this.rows.company();
			this.journey = this.rows.journey(this.company, "on", "[]");
			this.rows.journey(this.other, this.journey, "on", "[]");
		}

		/**
		 * An active enrollment of the journey, and one of the same ids in the other
		 * company.
		 */
		UUID enrollment(@Nullable String step, @Nullable Instant due) {
			UUID contact = this.rows.contact(this.company, UUID.randomUUID() + "@example.com");
			UUID id = this.rows.enrollment(this.company, this.journey, contact, step, due);
			this.rows.contact(this.other, contact, UUID.randomUUID() + "@example.com");
			this.rows.enrollment(this.other, id, this.journey, contact, step, due);
			return id;
		}

		State state(UUID company, UUID enrollment) {
			return this.jdbc.sql(
					"select status, step_id, due_at, attempts from enrollments where company_id = :company and id = :id")
				.param("company", company)
				.param("id", enrollment)
				.query((rs, row) -> new State(rs.getString("status"), rs.getString("step_id"),
						SqlTimes.read(rs, "due_at"), rs.getInt("attempts")))
				.single();
		}

		long events(UUID company, String kind) {
			return this.jdbc.sql("select count(*) from enrollment_events where company_id = :company and kind = :kind")
				.param("company", company)
				.param("kind", kind)
				.query(Long.class)
				.single();
		}

		@Test
		void lockJourneyReadsTheJourneyOfItsCompanyOnly() {
			UUID theirs = this.rows.journey(this.other, "off", null);

			this.transaction.executeWithoutResult(status -> {
				assertThat(this.runner.lockJourney(this.company, this.journey))
					.hasValueSatisfying(row -> assertThat(row.state()).isEqualTo("on"));
				assertThat(this.runner.lockJourney(this.company, theirs)).isEmpty();
			});
		}

		@Test
		void moveTakesTheDueEnrollmentsAtAStepAndLogsThemEntered() {
			UUID due = enrollment(null, EARLIER);
			UUID notYet = enrollment(null, LATER);
			UUID elsewhere = enrollment("other", EARLIER);

			this.transaction.executeWithoutResult(status -> {
				assertThat(
						this.runner.move(this.company, this.journey, null, Filter.ALL, "wait", null, LATER, NOW, NOW))
					.isEqualTo(1);
			});

			assertThat(state(this.company, due)).isEqualTo(new State("active", "wait", LATER, 0));
			assertThat(state(this.company, notYet)).isEqualTo(new State("active", null, LATER, 0));
			assertThat(state(this.company, elsewhere)).isEqualTo(new State("active", "other", EARLIER, 0));
			assertThat(state(this.other, due)).isEqualTo(new State("active", null, EARLIER, 0));
			assertThat(events(this.company, "entered")).isEqualTo(1);
			assertThat(events(this.other, "entered")).isZero();
		}

		@Test
		void aMoveWithoutATargetEndsTheDueEnrollmentsAtAStep() {
			UUID due = enrollment("last", EARLIER);
			UUID notYet = enrollment("last", LATER);

			assertThat(this.runner.move(this.company, this.journey, "last", Filter.ALL, null, null, NOW, NOW, NOW))
				.isEqualTo(1);

			assertThat(state(this.company, due)).isEqualTo(new State("completed", "last", null, 0));
			assertThat(state(this.company, notYet)).isEqualTo(new State("active", "last", LATER, 0));
			assertThat(state(this.other, due)).isEqualTo(new State("active", "last", EARLIER, 0));
		}

		@Test
		void aClaimSkipsRowsAnotherTransactionHoldsAndTheCalledRowsMoveOn() throws Exception {
			UUID first = enrollment("call", EARLIER.minusSeconds(1));
			UUID held = enrollment("call", EARLIER);
			UUID notYet = enrollment("call", LATER);
			try (Connection another = TestDatabase.get().connect()) {
				another.setAutoCommit(false);
				try (PreparedStatement lock = another
					.prepareStatement("select 1 from enrollments where company_id = ? and id = ? for update")) {
					lock.setObject(1, this.company);
					lock.setObject(2, held);
					assertThat(lock.executeQuery().next()).isTrue();
				}
				this.transaction.executeWithoutResult(status -> {
					List<Claimed> claimed = this.claims.claim(this.company, this.journey, "call", NOW, 10);
					assertThat(claimed).extracting(Claimed::id).containsExactly(first);
					assertThat(claimed.get(0).emailAddress()).endsWith("@example.com");
					assertThat(this.claims.logCalls(this.company, "call", claimed, Arrays.asList(200),
							Arrays.asList((String) null), NOW))
						.isEqualTo(1);
					assertThat(this.claims.advanceClaimed(this.company, claimed, "call", "wait", LATER, NOW))
						.isEqualTo(1);
				});
				another.rollback();
			}
			assertThat(state(this.company, first)).isEqualTo(new State("active", "wait", LATER, 0));
			assertThat(state(this.company, held)).isEqualTo(new State("active", "call", EARLIER, 0));
			assertThat(state(this.company, notYet)).isEqualTo(new State("active", "call", LATER, 0));
			assertThat(state(this.other, first)).isEqualTo(new State("active", "call", EARLIER.minusSeconds(1), 0));
			assertThat(events(this.company, "called")).isEqualTo(1);
			assertThat(events(this.other, "called")).isZero();
		}

		@Test
		void completeClaimedEndsTheCalledEnrollmentsCountingTheCall() {
			UUID called = enrollment("call", EARLIER);

			this.transaction.executeWithoutResult(status -> {
				List<Claimed> claimed = this.claims.claim(this.company, this.journey, "call", NOW, 10);
				assertThat(this.claims.completeClaimed(this.company, claimed, Arrays.asList(204), "call", NOW))
					.isEqualTo(1);
			});

			assertThat(state(this.company, called)).isEqualTo(new State("completed", "call", null, 1));
			assertThat(state(this.other, called)).isEqualTo(new State("active", "call", EARLIER, 0));
		}

		@Test
		void failedCallsAreRetriedUntilTheBudgetIsSpentThenExit() {
			UUID retried = enrollment("call", EARLIER);
			UUID spent = enrollment("call", EARLIER);
			this.jdbc.sql("update enrollments set attempts = 2 where company_id = :company and id = :id")
				.param("company", this.company)
				.param("id", spent)
				.update();

			List<UUID> exited = this.transaction.execute(status -> {
				List<Claimed> claimed = this.claims.claim(this.company, this.journey, "call", NOW, 10);
				assertThat(claimed).hasSize(2);
				return this.claims.recordFailures(this.company,
						claimed.stream().map(row -> new Failure(row, 500, "boom", LATER)).toList(), "call", 3, NOW);
			});

			assertThat(exited).containsExactly(spent);
			assertThat(state(this.company, retried)).isEqualTo(new State("active", "call", LATER, 1));
			assertThat(state(this.company, spent)).isEqualTo(new State("exited", "call", null, 3));
			assertThat(this.jdbc.sql("select exit_reason from enrollments where company_id = :company and id = :id")
				.param("company", this.company)
				.param("id", spent)
				.query(String.class)
				.single()).isEqualTo("action_failed");
			assertThat(state(this.other, spent)).isEqualTo(new State("active", "call", EARLIER, 0));
		}

		@Test
		void startAndExitAllTouchTheJourneysEnrollmentsOfTheCompanyOnly() {
			UUID waiting = enrollment(null, null);

			assertThat(this.runner.start(this.company, this.journey, NOW)).isEqualTo(1);
			assertThat(state(this.company, waiting)).isEqualTo(new State("active", null, NOW, 0));
			assertThat(state(this.other, waiting)).isEqualTo(new State("active", null, null, 0));

			assertThat(this.runner.exitAll(this.company, this.journey, NOW)).isEqualTo(1);
			assertThat(state(this.company, waiting)).isEqualTo(new State("exited", null, null, 0));
			assertThat(state(this.other, waiting).status()).isEqualTo("active");
		}

		@Test
		void onlyOneTransactionAtATimeMovesAJourney() throws Exception {
			CountDownLatch taken = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> this.transaction.execute(status -> {
				boolean moves = this.runner.tryMoveLock(this.journey);
				taken.countDown();
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return moves;
			}));
			assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
			Boolean second = this.transaction.execute(status -> this.runner.tryMoveLock(this.journey));
			release.countDown();

			assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(second).as("while the first transaction moves the journey").isFalse();
			Boolean afterwards = this.transaction.execute(status -> this.runner.tryMoveLock(this.journey));
			assertThat(afterwards).as("once it has ended").isTrue();
		}

	}

}
