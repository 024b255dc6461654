package io.journeys.journey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.journey.JourneyStats.StepStats;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link JourneyRepository} on PostgreSQL: journeys are found under their own company,
 * the exclusive lock keeps enrolls' {@code FOR KEY SHARE} out, and the stats count the
 * journey's enrollments of its company where they stand.
 */
@RepositoryTest
class JourneyRepositoryTests {

	private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123Z");

	@Autowired
	JourneyRepository journeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	Rows rows;

	UUID company;

	UUID other;

	@BeforeEach
	void companies() {
		this.rows = new Rows(this.jdbc);
		this.company = this.rows.company();
		this.other = this.rows.company();
	}

	@Test
	void aSavedJourneyIsFoundUnderItsCompanyOnly() {
		Journey journey = new Journey(this.company, "Welcome", NOW);
		journey.changeState(JourneyState.ON, NOW);
		UUID id = this.journeys.save(journey).id();

		assertThat(this.journeys.findByCompanyIdAndId(this.company, id)).hasValueSatisfying(found -> {
			assertThat(found.state()).isEqualTo(JourneyState.ON);
			assertThat(found.view().name()).isEqualTo("Welcome");
		});
		assertThat(this.journeys.existsByCompanyIdAndId(this.company, id)).isTrue();
		assertThat(this.journeys.findByCompanyIdAndId(this.other, id)).isEmpty();
		assertThat(this.journeys.existsByCompanyIdAndId(this.other, id)).isFalse();
	}

	@Test
	void theExclusiveLockKeepsEnrollsOutUntilItsTransactionEnds() throws SQLException {
		UUID id = this.rows.journey(this.company, "on", null);
		try (Connection enroll = TestDatabase.get().connect()) {
			enroll.setAutoCommit(false);
			this.transaction.executeWithoutResult(status -> {
				assertThat(this.journeys.lockExclusive(this.company, id)).contains(JourneyState.ON);
				assertThatExceptionOfType(SQLException.class).isThrownBy(() -> keyShare(enroll, id))
					.satisfies(ex -> assertThat(ex.getSQLState()).as("lock_not_available").isEqualTo("55P03"));
			});
			enroll.rollback();
			assertThat(keyShare(enroll, id)).as("once the transaction has ended").isTrue();
			enroll.rollback();
		}
		assertThat(this.journeys.lockExclusive(this.other, id)).isEmpty();
	}

	private boolean keyShare(Connection connection, UUID journey) throws SQLException {
		// nowait: refused at once, on a Citus worker too, where a lock timeout set here
		// would
		// not apply
		try (PreparedStatement lock = connection
			.prepareStatement("select 1 from journeys where company_id = ? and id = ? for key share nowait")) {
			lock.setObject(1, this.company);
			lock.setObject(2, journey);
			return lock.executeQuery().next();
		}
	}

	@Test
	void statsCountTheJourneysEnrollmentsOfItsCompany() {
		UUID journey = this.rows.journey(this.company, "on", null);
		Instant later = NOW.plus(Duration.ofHours(1));
		Instant earlier = NOW.minusSeconds(1);
		this.rows.enrollment(this.company, journey, UUID.randomUUID(), null, earlier);
		this.rows.enrollment(this.company, journey, UUID.randomUUID(), null, null);
		this.rows.enrollment(this.company, journey, UUID.randomUUID(), "wait", later);
		this.rows.enrollment(this.company, journey, UUID.randomUUID(), "wait", earlier);
		UUID retrying = this.rows.enrollment(this.company, journey, UUID.randomUUID(), "call", later);
		this.jdbc.sql("update enrollments set attempts = 2 where company_id = :company and id = :id")
			.param("company", this.company)
			.param("id", retrying)
			.update();
		end(this.rows.enrollment(this.company, journey, UUID.randomUUID(), "call", null),
				"status = 'completed', completed_at = now()");
		end(this.rows.enrollment(this.company, journey, UUID.randomUUID(), "call", null),
				"status = 'exited', exited_at = now(), exit_reason = 'action_failed'");
		end(this.rows.enrollment(this.company, journey, UUID.randomUUID(), "call", null),
				"status = 'exited', exited_at = now(), exit_reason = 'unenrolled'");
		// the other company: a journey of the same id, with rows at every step
		this.rows.journey(this.other, journey, "on", null);
		this.rows.enrollment(this.other, journey, UUID.randomUUID(), null, earlier);
		this.rows.enrollment(this.other, journey, UUID.randomUUID(), "wait", earlier);
		end(this.rows.enrollment(this.other, journey, UUID.randomUUID(), "call", null),
				"status = 'completed', completed_at = now()");

		JourneyStats stats = this.journeys.stats(this.company, journey,
				List.of(Step.wait("wait", "PT1H"), Step.webhook("call", "https://x.test"), Step.wait("last", "PT1M")),
				NOW);

		assertThat(stats).isEqualTo(new JourneyStats(List.of(new StepStats("wait", 1, 1, 0, null),
				new StepStats("call", 0, 0, 1, null), new StepStats("last", 0, 0, 0, null)), 1, 1, 2, 1, 0));
	}

	private void end(UUID enrollment, String how) {
		this.jdbc.sql("update enrollments set " + how + " where company_id = :company and id = :id")
			.param("company", this.company)
			.param("id", enrollment)
			.update();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class Repository {

	}

}
