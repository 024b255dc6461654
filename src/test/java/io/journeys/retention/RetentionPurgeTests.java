package io.journeys.retention;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.journeys.persistence.SqlTimes;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention purge on PostgreSQL. The database is shared with the other tests, whose
 * timelines are of 2020 and later: the rows here are of 2001, and the purge's clock is
 * set so that only those can be old.
 */
@RepositoryTest
class RetentionPurgeTests {

	private static final Instant NOW = Instant.parse("2001-09-01T00:00:00Z");

	/** 90 days before {@link #NOW}, the default retention. */
	private static final Instant CUTOFF = Instant.parse("2001-06-03T00:00:00Z");

	@Autowired
	RetentionPurge purge;

	@Autowired
	JdbcClient jdbc;

	Rows rows;

	UUID company;

	UUID other;

	UUID enrollment;

	@BeforeEach
	void companies() {
		this.rows = new Rows(this.jdbc);
		this.company = this.rows.company();
		this.other = this.rows.company();
		UUID journey = this.rows.journey(this.company, "on", null);
		this.enrollment = this.rows.enrollment(this.company, journey, this.rows.contact(this.company, "a@x.com"),
				"call", null);
	}

	private void timeline(UUID company, UUID enrollment, Instant... times) {
		for (Instant at : times) {
			this.jdbc.sql("""
					insert into enrollment_events (company_id, enrollment_id, at, step_id, kind, status)
					values (:company, :enrollment, :at, 'call', 'called', 500)
					""")
				.param("company", company)
				.param("enrollment", enrollment)
				.param("at", SqlTimes.bind(at))
				.update();
		}
	}

	private List<Instant> left(UUID company) {
		return this.jdbc.sql("select at from enrollment_events where company_id = :company order by at")
			.param("company", company)
			.query((rs, row) -> SqlTimes.read(rs, "at"))
			.list();
	}

	private RetentionLoop loop(int batchSize) {
		return new RetentionLoop(this.purge,
				new RetentionProperties(Duration.ofDays(90), Duration.ofDays(30), batchSize, Duration.ofHours(1)),
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void oldTimelineRowsGoAndRecentOnesStayInEveryCompany() {
		Instant old = CUTOFF.minusSeconds(1);
		Instant kept = CUTOFF;
		timeline(this.company, this.enrollment, Instant.parse("2001-01-01T00:00:00Z"), old, kept, NOW);
		UUID otherEnrollment = UUID.randomUUID();
		timeline(this.other, otherEnrollment, old, NOW);

		loop(10_000).purge();

		assertThat(left(this.company)).containsExactly(kept, NOW);
		assertThat(left(this.other)).containsExactly(NOW);
	}

	@Test
	void batchesOfTheSetSizeTakeEveryOldRow() {
		Instant[] old = new Instant[7];
		for (int i = 0; i < old.length; i++) {
			old[i] = Instant.parse("2001-02-01T00:00:00Z").plusSeconds(i);
		}
		timeline(this.company, this.enrollment, old);
		timeline(this.company, this.enrollment, NOW);

		long purged = this.purge.purge(RetainedTable.ALL.get(0), CUTOFF, 2);

		assertThat(purged).isEqualTo(7);
		assertThat(left(this.company)).containsExactly(NOW);
	}

	@Test
	void otherTablesAreUntouched() {
		timeline(this.company, this.enrollment, Instant.parse("2001-01-01T00:00:00Z"));
		this.jdbc.sql("update enrollments set enrolled_at = :old where company_id = :company and id = :id")
			.param("old", SqlTimes.bind(Instant.parse("2001-01-01T00:00:00Z")))
			.param("company", this.company)
			.param("id", this.enrollment)
			.update();

		loop(1).purge();

		assertThat(left(this.company)).isEmpty();
		assertThat(this.jdbc.sql("select count(*) from enrollments where company_id = :company")
			.param("company", this.company)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from journeys where company_id = :company")
			.param("company", this.company)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@Import(RetentionPurge.class)
	static class Purge {

	}

}
