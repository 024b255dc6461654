package io.journeys.enrollment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import io.journeys.enrollment.EnrollStatements.Audit;
import io.journeys.enrollment.EnrollStatements.Enroll;
import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.journeys.enrollment.EnrollStatements.LockedEnroll;
import io.journeys.enrollment.EnrollStatements.NotEnrolled;
import io.journeys.journey.JourneyState;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.support.MigratedDatabase;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both enroll statement sets, {@link PlainEnrollStatements} and
 * {@link RoutedEnrollStatements}, on the enroll pool as the service configures it: the
 * same rows give the same answers and the same enrollments, and nothing of another
 * company (here with a contact of the same email, in a journey of the same id) is read or
 * written.
 */
@RepositoryTest
class EnrollStatementsTests {

	static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123456Z");

	@Autowired
	JdbcClient jdbc;

	@Autowired
	@Qualifier("enroll")
	DataSource enrollPool;

	Rows rows;

	UUID company;

	UUID journey;

	UUID list;

	@BeforeEach
	void rows() {
		this.rows = new Rows(this.jdbc);
		this.company = this.rows.company();
		this.journey = this.rows.journey(this.company, "on", null);
		UUID ann = this.rows.contact(this.company, "ann@example.com");
		UUID bob = this.rows.contact(this.company, "bob@example.com");
		UUID cat = this.rows.contact(this.company, "cat@example.com");
		UUID dan = this.rows.contact(this.company, "dan@example.com");
		this.rows.contact(this.company, "eve@example.com");
		this.jdbc.sql("update contacts set status = 'inactive' where company_id = :company and id = :id")
			.param("company", this.company)
			.param("id", dan)
			.update();
		this.rows.enrollment(this.company, this.journey, bob, null, null);
		this.jdbc
			.sql("""
					insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at, completed_at)
					values (:company, :id, :journey, :contact, 'completed', 'contact', :at, :at)
					""")
			.param("company", this.company)
			.param("id", UUID.randomUUID())
			.param("journey", this.journey)
			.param("contact", cat)
			.param("at", NOW.minus(Duration.ofHours(1)).atOffset(java.time.ZoneOffset.UTC))
			.update();
		this.list = UUID.randomUUID();
		this.jdbc.sql("""
				insert into lists (company_id, id, name, email_address, created_at, updated_at)
				values (:company, :id, 'Team', 'team@example.com', now(), now())
				""").param("company", this.company).param("id", this.list).update();
		for (UUID member : List.of(ann, dan, this.rows.contact(this.company, "fay@example.com"))) {
			this.jdbc.sql("""
					insert into list_members (company_id, list_id, contact_id, added_at)
					values (:company, :list, :contact, now())
					""").param("company", this.company).param("list", this.list).param("contact", member).update();
		}
		UUID other = this.rows.company();
		this.rows.journey(other, this.journey, "on", null);
		this.rows.contact(other, "zed@example.com");
		this.rows.contact(other, "ann@example.com");
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void anEnrollByEmailIsLockedAndInsertedInOneGo(boolean routed) {
		LockedEnroll done = statements(routed).lockAndEnroll(enroll(
				List.of("ann@example.com", "bob@example.com", "cat@example.com", "dan@example.com", "zed@example.com"),
				List.of()));
		assertThat(done.state()).contains(JourneyState.ON);
		assertThat(done.result())
			.isEqualTo(new EnrollResult(1, new NotEnrolled(List.of("dan@example.com", "zed@example.com"),
					List.of("bob@example.com"), List.of("cat@example.com"))));
		assertThat(activeEmails()).containsExactly("ann@example.com", "bob@example.com");
		assertThat(otherCompanysEnrollments()).isZero();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aJourneyNotOnGetsNothingInserted(boolean routed) {
		this.jdbc.sql("update journeys set state = 'off' where company_id = :company and id = :journey")
			.param("company", this.company)
			.param("journey", this.journey)
			.update();
		LockedEnroll done = statements(routed).lockAndEnroll(enroll(List.of("ann@example.com"), List.of()));
		assertThat(done.state()).contains(JourneyState.OFF);
		assertThat(activeEmails()).containsExactly("bob@example.com");
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void anEnrollByListsAndEmailsReportsEachOutcomeOnce(boolean routed) {
		EnrollStatements statements = statements(routed);
		EnrollResult result = new TransactionTemplate(new JdbcTransactionManager(this.enrollPool)).execute(status -> {
			assertThat(statements.lockJourney(this.company, this.journey)).contains(JourneyState.ON);
			return statements.enroll(enroll(List.of("eve@example.com", "nobody@example.com"), List.of(this.list)));
		});
		assertThat(result)
			.isEqualTo(new EnrollResult(3, new NotEnrolled(List.of("nobody@example.com"), List.of(), List.of())));
		assertThat(this.jdbc.sql("""
				select c.email_address || ':' || e.source || ':' || coalesce(cast(e.list_id as text), '-')
				from enrollments e join contacts c on c.company_id = e.company_id and c.id = e.contact_id
				where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
				order by 1
				""").param("company", this.company).param("journey", this.journey).query(String.class).list())
			.containsExactly("ann@example.com:list:" + this.list, "bob@example.com:contact:-",
					"eve@example.com:contact:-", "fay@example.com:list:" + this.list);
		assertThat(otherCompanysEnrollments()).isZero();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void anotherCompanysJourneyIsNotFound(boolean routed) {
		assertThat(statements(routed).lockJourney(this.company, UUID.randomUUID())).isEmpty();
	}

	private EnrollStatements statements(boolean routed) {
		JdbcClient client = JdbcClient.create(this.enrollPool);
		return routed
				? new RoutedEnrollStatements(client,
						new TransactionTemplate(new JdbcTransactionManager(this.enrollPool)))
				: new PlainEnrollStatements(client, new NamedParameterJdbcTemplate(this.enrollPool));
	}

	private Enroll enroll(List<String> emails, List<UUID> lists) {
		return new Enroll(this.company, this.journey, emails, lists, NOW, NOW.minus(Duration.ofHours(12)),
				new Audit(UUID.randomUUID(), "request-1"));
	}

	private List<String> activeEmails() {
		return this.jdbc.sql("""
				select c.email_address from enrollments e
				join contacts c on c.company_id = e.company_id and c.id = e.contact_id
				where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
				order by 1
				""").param("company", this.company).param("journey", this.journey).query(String.class).list();
	}

	private int otherCompanysEnrollments() {
		return this.jdbc.sql("select count(*) from enrollments where journey_id = :journey and company_id <> :company")
			.param("company", this.company)
			.param("journey", this.journey)
			.query(Integer.class)
			.single();
	}

	/** The enroll pool and its statement sets, as the service configures them. */
	@Configuration(proxyBeanMethods = false)
	@Import({ MigratedDatabase.class, EnrollPoolConfiguration.class, DatabaseEngine.class, EnrollmentMetrics.class })
	@EnableConfigurationProperties(EnrollmentProperties.class)
	static class Pools {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
