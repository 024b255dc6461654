package io.journeys.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sent and failed deliveries leave the log after the retention, a batch of one at a time;
 * pending ones stay.
 */
class DeliveryRetentionTests extends ApiTests {

	private static final RetainedTable DELIVERIES = RetainedTable.ALL.stream()
		.filter(table -> table.table().equals("lifecycle_deliveries"))
		.findFirst()
		.orElseThrow();

	@Autowired
	private RetentionPurge retention;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private EnteredBlocks blocks;

	@Autowired
	private TransactionTemplate transactions;

	@Test
	void deliveriesPastTheRetentionArePurgedUnlessPending() {
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
		Tenant tenant = newTenant();
		UUID company = UUID.fromString(tenant.companyId());
		String journey = journey(tenant, "on");
		this.http
			.post("/v1/subscriptions", tenant.token(),
					"{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\"]}")
			.hasStatus(201);
		contacts(tenant, "active", "sent@x.com", "failed@x.com", "pending@x.com");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", tenant.token(),
					"{\"contact_email_addresses\": [\"sent@x.com\", \"failed@x.com\", \"pending@x.com\"]}")
			.hasStatus(200);
		this.transactions.execute(status -> this.blocks.expandEntered(company, this.clock.instant(), 10));
		for (String[] outcome : new String[][] { { "sent@x.com", "delivered" }, { "failed@x.com", "failed" } }) {
			this.jdbc.sql("""
					update lifecycle_deliveries d set status = :status, due_at = null
					from contacts c
					where d.company_id = :company and c.company_id = :company and c.id = d.contact_id
					  and c.email_address = :email
					""").param("company", company).param("status", outcome[1]).param("email", outcome[0]).update();
		}

		this.retention.purge(DELIVERIES, Instant.parse("2026-06-01T09:00:00Z"), 1);
		assertThat(statuses(company)).as("not older than the cutoff")
			.containsExactlyInAnyOrder("delivered", "failed", "pending");
		this.retention.purge(DELIVERIES, this.clock.instant().plus(Duration.ofSeconds(1)), 1);
		assertThat(statuses(company)).containsExactly("pending");
	}

	private List<String> statuses(UUID company) {
		return this.jdbc.sql("select status from lifecycle_deliveries where company_id = :company")
			.param("company", company)
			.query(String.class)
			.list();
	}

}
