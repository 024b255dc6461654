package io.journeys.lifecycle;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An enroll writes its {@code enrollment.entered} events as one block per subscription;
 * the sender expands each into one delivery per enrollment, once, whatever happened to
 * the enrollments since, and the delivery log shows the events of a block before it is
 * expanded as they will be after.
 */
class EnteredBlocksTests extends ApiTests {

	private static final int MEMBERS = 40;

	@Autowired
	private EnteredBlocks blocks;

	@Autowired
	private TransactionTemplate transactions;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource dataSource;

	private Tenant tenant;

	private UUID company;

	private String journey;

	private String[] members;

	@BeforeEach
	void setUp() {
		this.clock.set(Instant.parse("2026-06-01T09:00:00.123Z"));
		this.tenant = newTenant();
		this.company = UUID.fromString(this.tenant.companyId());
		this.journey = journey(this.tenant, "on");
		this.members = IntStream.range(0, MEMBERS).mapToObj(n -> "m" + n + "@x.com").toArray(String[]::new);
		contacts(this.tenant, "active", this.members);
		list(this.tenant, "everyone@l.example.com", this.members);
	}

	private String subscribe() {
		return this.http
			.post("/v1/subscriptions", this.tenant.token(),
					"{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"]}")
			.hasStatus(201)
			.text("id");
	}

	private void enrollTheList() {
		this.http
			.post("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(),
					"{\"list_email_addresses\": [\"everyone@l.example.com\"]}")
			.is(200, "{\"enrolled_count\": " + MEMBERS
					+ ", \"not_enrolled\": {\"not_found\": [], \"already_enrolled\": [], \"recently_completed\": []}}");
	}

	private int expand() {
		Integer written = this.transactions
			.execute(status -> this.blocks.expandEntered(this.company, this.clock.instant(), 10));
		return written == null ? 0 : written;
	}

	private long count(String table) {
		return this.jdbc.sql("select count(*) from " + table + " where company_id = :company")
			.param("company", this.company)
			.query(Long.class)
			.single();
	}

	private List<JsonNode> log(String subscription) {
		return walk("/v1/subscriptions/" + subscription + "/deliveries?limit=15", this.tenant.token());
	}

	@Test
	void anEnrollWritesOneBlockPerSubscriptionThatExpandsIntoTheDeliveriesTheLogShowedBefore() {
		String first = subscribe();
		String second = subscribe();
		enrollTheList();
		assertThat(count("lifecycle_entered_blocks")).isEqualTo(2);
		assertThat(count("lifecycle_deliveries")).isZero();
		List<JsonNode> before = log(first);
		assertThat(before).hasSize(MEMBERS)
			.allSatisfy(row -> assertThat(row.get("status").asString()).isEqualTo("pending"))
			.allSatisfy(row -> assertThat(row.get("attempts").asInt()).isZero())
			.allSatisfy(row -> assertThat(row.get("occurred_at").asString()).isEqualTo("2026-06-01T09:00:00.123Z"));

		assertThat(expand()).isEqualTo(2 * MEMBERS);
		assertThat(count("lifecycle_entered_blocks")).isZero();
		assertThat(expand()).as("expanded once").isZero();
		assertThat(log(first)).isEqualTo(before);
		List<String> ids = this.jdbc.sql("select id from lifecycle_deliveries where company_id = :company")
			.param("company", this.company)
			.query((rs, row) -> rs.getObject(1, UUID.class))
			.list()
			.stream()
			.peek(id -> assertThat(id.getMostSignificantBits() >>> 16).as("the event's millisecond")
				.isEqualTo(this.clock.instant().toEpochMilli()))
			.map(UUID::toString)
			.toList();
		assertThat(ids).doesNotHaveDuplicates().hasSize(2 * MEMBERS);
		assertThat(this.jdbc
			.sql("""
					select count(distinct (d.subscription_id, d.enrollment_id)) from lifecycle_deliveries d
					join enrollments e on e.company_id = d.company_id and e.id = d.enrollment_id and e.contact_id = d.contact_id
					where d.company_id = :company and d.type = 'enrollment.entered'
					""")
			.param("company", this.company)
			.query(Long.class)
			.single()).as("each enrollment, each subscription").isEqualTo(2L * MEMBERS);
		assertThat(log(second)).hasSize(MEMBERS);
	}

	@Test
	void anEnrollmentThatEndedBeforeTheExpansionHadStillEntered() {
		String subscription = subscribe();
		enrollTheList();
		this.http
			.post("/v1/journeys/" + this.journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"m0@x.com\"]}")
			.hasStatus(200);
		assertThat(expand()).isEqualTo(MEMBERS);
		assertThat(log(subscription)).hasSize(MEMBERS);
	}

	@Test
	void aBlockOneExpanderHoldsIsSkippedByAnotherAndExpandedOnce() throws Exception {
		subscribe();
		enrollTheList();
		try (Connection other = this.dataSource.getConnection(); Statement statement = other.createStatement()) {
			other.setAutoCommit(false);
			statement.execute(
					"select id from lifecycle_entered_blocks where company_id = '" + this.company + "' for update");
			assertThat(expand()).as("while another instance holds the block").isZero();
			other.rollback();
		}
		assertThat(expand()).isEqualTo(MEMBERS);
		assertThat(expand()).isZero();
		assertThat(count("lifecycle_deliveries")).isEqualTo(MEMBERS);
	}

	@Test
	void aDeletedSubscriptionTakesItsBlocksAndABlockLeftWithoutOneExpandsToNothing() {
		String subscription = subscribe();
		enrollTheList();
		this.http.delete("/v1/subscriptions/" + subscription, this.tenant.token()).hasStatus(204);
		assertThat(count("lifecycle_entered_blocks")).isZero();

		subscribe();
		this.journey = journey(this.tenant, "on");
		enrollTheList();
		this.jdbc.sql("update lifecycle_entered_blocks set subscription_id = :gone where company_id = :company")
			.param("company", this.company)
			.param("gone", UUID.randomUUID())
			.update();
		assertThat(expand()).isZero();
		assertThat(count("lifecycle_entered_blocks")).isZero();
		assertThat(count("lifecycle_deliveries")).isZero();
	}

	@Test
	void aReplayCountsTheEventsOfBlocksNotYetExpanded() {
		String subscription = subscribe();
		enrollTheList();
		this.http
			.post("/v1/subscriptions/" + subscription + "/replay", this.tenant.token(),
					"{\"since\": \"2026-06-01T00:00:00Z\"}")
			.is(200, "{\"replayed\": " + MEMBERS + "}");
		assertThat(count("lifecycle_entered_blocks")).as("counted, not expanded").isEqualTo(1);
		this.http
			.post("/v1/subscriptions/" + subscription + "/replay", this.tenant.token(),
					"{\"since\": \"2026-06-01T09:00:00.124Z\"}")
			.is(200, "{\"replayed\": 0}");
	}

	/**
	 * A contact deleted before the expansion takes its enrollments with it: its event is
	 * written by the delete, and every other keeps the id the log showed.
	 */
	@Test
	void aContactDeletedBeforeTheExpansionKeepsItsEventAndTheOthersTheirIds() {
		String subscription = subscribe();
		enrollTheList();
		List<JsonNode> before = log(subscription);
		String contact = walk("/v1/contacts?email_address=m7@x.com", this.tenant.token()).get(0).get("id").asString();
		this.http.delete("/v1/contacts/" + contact, this.tenant.token()).hasStatus(204);
		assertThat(count("lifecycle_deliveries")).as("its event, written by the delete").isEqualTo(1);
		assertThat(log(subscription)).as("the log meanwhile").isEqualTo(before);
		assertThat(expand()).isEqualTo(MEMBERS - 1);
		assertThat(log(subscription)).isEqualTo(before);
	}

}
