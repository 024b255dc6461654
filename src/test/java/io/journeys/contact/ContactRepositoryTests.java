package io.journeys.contact;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import io.journeys.validation.JsonObjects;
import io.journeys.validation.ValidationErrors;
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
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContactRepository}'s statements on PostgreSQL: the bulk upsert in both its forms
 * (one statement, and the update then {@code INSERT … VALUES} that Citus routes, chosen
 * by {@link DatabaseEngine}), and the delete of a contact's enrollments. Each touches the
 * rows of the company it names only.
 */
@RepositoryTest
class ContactRepositoryTests {

	private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123Z");

	@Autowired
	ContactRepository contacts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	Rows rows;

	@BeforeEach
	void rows() {
		this.rows = new Rows(this.jdbc);
	}

	@Test
	void deletingAContactsEnrollmentsLeavesOtherContactsAndCompaniesAlone() {
		UUID company = this.rows.company();
		UUID other = this.rows.company();
		UUID contact = this.rows.contact(company, "a@example.com");
		UUID neighbour = this.rows.contact(company, "b@example.com");
		UUID journey = this.rows.journey(company, "on", null);
		UUID deleted = this.rows.enrollment(company, journey, contact, null, null);
		this.rows.enrollment(company, journey, neighbour, null, null);
		// the other company has the same contact and journey ids (ids are unique per
		// company)
		this.rows.contact(other, contact, "a@example.com");
		this.rows.journey(other, journey, "on", null);
		this.rows.enrollment(other, journey, contact, null, null);
		this.jdbc.sql("""
				insert into enrollment_events (company_id, enrollment_id, at, step_id, kind)
				values (:company, :enrollment, now(), 'w', 'entered')
				""").param("company", company).param("enrollment", deleted).update();

		this.transaction.executeWithoutResult(status -> this.contacts.deleteWhatItOwns(company, contact));

		assertThat(count("enrollments", company)).isEqualTo(1);
		assertThat(count("enrollment_events", company)).isZero();
		assertThat(count("enrollments", other)).as("the other company's enrollment of the same ids").isEqualTo(1);
	}

	private long count(String table, UUID company) {
		return this.jdbc.sql("select count(*) from " + table + " where company_id = :company")
			.param("company", company)
			.query(Long.class)
			.single();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@Import({ DatabaseEngine.class, EnteredBlocks.class })
	static class Repository {

	}

	@Nested
	class OneStatement extends Upserts {

		@Test
		void theStatementsAreTheOnesForOneServer(@Autowired DatabaseEngine engine) {
			assertThat(engine.routedStatements()).as("unless the tests run on Citus").isEqualTo(engine.citus());
		}

	}

	/** The statements written for Citus, on whichever PostgreSQL the tests run. */
	@Nested
	@TestPropertySource(properties = "journeys.database.routed-statements=true")
	class Routed extends Upserts {

		@Test
		void theStatementsAreTheRoutedOnes(@Autowired DatabaseEngine engine) {
			assertThat(engine.routedStatements()).isTrue();
		}

	}

	abstract static class Upserts {

		@Autowired
		ContactRepository contacts;

		@Autowired
		JdbcClient jdbc;

		@Test
		void upsertUpdatesTheCompanysContactsAndCreatesTheOthers() {
			Rows rows = new Rows(this.jdbc);
			UUID company = rows.company();
			UUID other = rows.company();
			this.jdbc
				.sql("""
						insert into contacts (company_id, id, email_address, first_name, last_name, status, created_at, updated_at)
						values (:company, gen_random_uuid(), 'old@example.com', 'Old', 'Kept', 'inactive', now(), now()),
						       (:other, gen_random_uuid(), 'old@example.com', 'Other', 'Company', 'active', now(), now())
						""")
				.param("company", company)
				.param("other", other)
				.update();

			BulkResult result = this.contacts.upsert(company,
					upserts(new NewContact("old@example.com", "New", null, null, null, null),
							new NewContact("new@example.com", "Ann", null, null, null, null),
							new NewContact("off@example.com", null, "Lee", ContactStatus.INACTIVE, null, null)),
					NOW);

			assertThat(result).isEqualTo(new BulkResult(2, 1));
			assertThat(contactsOf(company)).containsExactly("new@example.com Ann null active",
					"off@example.com null Lee inactive", "old@example.com New Kept inactive");
			assertThat(contactsOf(other)).as("the other company's contact of the same email")
				.containsExactly("old@example.com Other Company active");
			List<UUID> created = this.jdbc
				.sql("select id from contacts where company_id = :company and email_address <> 'old@example.com'")
				.param("company", company)
				.query(UUID.class)
				.list();
			assertThat(created).as("time-ordered ids of the statement's time").hasSize(2).allSatisfy(id -> {
				assertThat(id.version()).isEqualTo(7);
				assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
			});
		}

		@Test
		void upsertOfMoreRowsThanOneInsertTakesCreatesEveryOne() {
			UUID company = new Rows(this.jdbc).company();
			List<ContactUpsert> batch = upserts(IntStream.range(0, 1_001)
				.mapToObj(i -> new NewContact("c" + i + "@example.com", null, null, null, null, null))
				.toArray(NewContact[]::new));

			assertThat(this.contacts.upsert(company, batch, NOW)).isEqualTo(new BulkResult(1_001, 0));
			assertThat(this.contacts.upsert(company, batch, NOW)).isEqualTo(new BulkResult(0, 1_001));
			assertThat(this.jdbc.sql("select count(distinct id) from contacts where company_id = :company")
				.param("company", company)
				.query(Long.class)
				.single()).isEqualTo(1_001);
		}

		@Test
		void upsertMergesAttributesAtTheTopLevelAndKeepsWhatIsNotSent() {
			Rows rows = new Rows(this.jdbc);
			UUID company = rows.company();
			UUID other = rows.company();
			this.jdbc
				.sql("""
						insert into contacts (company_id, id, email_address, status, attributes, time_zone, created_at, updated_at)
						values (:company, gen_random_uuid(), 'old@example.com', 'active',
						        '{"plan": "free", "kept": 1, "dropped": true, "address": {"city": "Lyon", "zip": "69001"}}',
						        'Europe/Paris', now(), now()),
						       (:company, gen_random_uuid(), 'same@example.com', 'active', '{"kept": [1, 2]}', null, now(), now()),
						       (:other, gen_random_uuid(), 'old@example.com', 'active', '{"plan": "other"}', 'Asia/Tokyo',
						        now(), now())
						""")
				.param("company", company)
				.param("other", other)
				.update();

			BulkResult result = this.contacts.upsert(company,
					List.of(upsert(0, "old@example.com",
							"{\"plan\": \"pro\", \"dropped\": null, \"address\": {\"country\": \"FR\"}}", null),
							upsert(1, "same@example.com", null, "America/New_York"),
							upsert(2, "new@example.com", "{\"plan\": \"trial\", \"never\": null}", "Europe/Paris"),
							upsert(3, "bare@example.com", null, null)),
					NOW);

			assertThat(result).isEqualTo(new BulkResult(2, 2));
			assertThat(attributesOf(company)).containsExactly("bare@example.com {} null",
					"new@example.com {\"plan\": \"trial\"} Europe/Paris",
					"old@example.com {\"kept\": 1, \"plan\": \"pro\", \"address\": {\"country\": \"FR\"}} Europe/Paris",
					"same@example.com {\"kept\": [1, 2]} America/New_York");
			assertThat(attributesOf(other)).as("the other company's contact of the same email")
				.containsExactly("old@example.com {\"plan\": \"other\"} Asia/Tokyo");
		}

		private static ContactUpsert upsert(int position, String email, String attributes, String zone) {
			ValidationErrors errors = new ValidationErrors();
			AttributeChanges changes = attributes == null ? null
					: AttributeChanges.check((ObjectNode) JsonObjects.read(attributes), "attributes", errors);
			assertThat(errors.size()).isZero();
			return new ContactUpsert(position, new NewContact(email, null, null, null, null, null), changes,
					zone == null ? null : ZoneId.of(zone));
		}

		private static List<ContactUpsert> upserts(NewContact... contacts) {
			return IntStream.range(0, contacts.length)
				.mapToObj(i -> new ContactUpsert(i, contacts[i], null, null))
				.toList();
		}

		private List<String> attributesOf(UUID company) {
			return this.jdbc.sql("""
					select email_address || ' ' || attributes || ' ' || coalesce(time_zone, 'null')
					from contacts where company_id = :company order by email_address
					""").param("company", company).query(String.class).list();
		}

		private List<String> contactsOf(UUID company) {
			return this.jdbc.sql("""
					select email_address || ' ' || coalesce(first_name, 'null') || ' ' || coalesce(last_name, 'null')
					       || ' ' || status
					from contacts where company_id = :company order by email_address
					""").param("company", company).query(String.class).list();
		}

	}

}
