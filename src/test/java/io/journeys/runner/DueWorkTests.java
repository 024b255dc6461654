package io.journeys.runner;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.persistence.DatabaseEngine;
import io.journeys.runner.DueWork.Backlog;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DueWork}'s search across companies on PostgreSQL: the journeys that are on and
 * have due active enrollments, each with its own company's backlog. The routed statements
 * change nothing here (only a Citus coordinator searches shard by shard); the search is
 * run with them on too, as the runner runs it then.
 */
@RepositoryTest
class DueWorkTests {

	private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123456Z");

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@Import({ DueWork.class, DatabaseEngine.class })
	static class Repository {

	}

	@Nested
	class OneServer extends Search {

	}

	@Nested
	@TestPropertySource(properties = "journeys.database.routed-statements=true")
	class Routed extends Search {

	}

	abstract static class Search {

		@Autowired
		DueWork dueWork;

		@Autowired
		JdbcClient jdbc;

		@Test
		void findsTheOnJourneysWithDueEnrollmentsOfEachCompany() {
			Rows rows = new Rows(this.jdbc);
			UUID company = rows.company();
			UUID other = rows.company();
			UUID journey = rows.journey(company, "on", "[]");
			UUID off = rows.journey(company, "off", "[]");
			// the other company: a journey of the same id, off, and one that is on
			rows.journey(other, journey, "off", "[]");
			UUID theirs = rows.journey(other, "on", "[]");
			Instant oldest = NOW.minusSeconds(60);
			rows.enrollment(company, journey, UUID.randomUUID(), null, oldest);
			rows.enrollment(company, journey, UUID.randomUUID(), "wait", NOW);
			rows.enrollment(company, journey, UUID.randomUUID(), "wait", NOW.plusSeconds(1));
			rows.enrollment(company, journey, UUID.randomUUID(), null, null);
			UUID completed = rows.enrollment(company, journey, UUID.randomUUID(), "wait", oldest.minusSeconds(1));
			this.jdbc.sql("""
					update enrollments set status = 'completed', completed_at = now()
					where company_id = :company and id = :id
					""").param("company", company).param("id", completed).update();
			rows.enrollment(company, off, UUID.randomUUID(), null, oldest);
			rows.enrollment(other, journey, UUID.randomUUID(), null, oldest);
			rows.enrollment(other, theirs, UUID.randomUUID(), null, NOW);

			List<Backlog> found = this.dueWork.find(NOW)
				.stream()
				.filter(backlog -> List.of(company, other).contains(backlog.journey().companyId()))
				.toList();

			assertThat(found).containsExactlyInAnyOrder(new Backlog(new DueJourney(company, journey), 2, oldest),
					new Backlog(new DueJourney(other, theirs), 1, NOW));
		}

	}

}
