package io.journeys.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Rows the set-based statements insert get UUIDv7 ids, ordered by creation time. */
class TimeOrderedIdsTests extends ApiTests {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void enrollmentsAndBulkContactsGetVersion7Ids() {
		Tenant tenant = newTenant();
		this.http
			.post("/v1/contacts/bulk", tenant.token(),
					"{\"contacts\": [{\"email_address\": \"a@example.com\"}, {\"email_address\": \"b@example.com\"}]}")
			.hasStatus(200);
		String journey = journey(tenant, "on");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", tenant.token(),
					"{\"contact_email_addresses\": [\"a@example.com\", \"b@example.com\"]}")
			.hasStatus(200);
		for (String table : List.of("enrollments", "contacts")) {
			List<UUID> ids = this.jdbc.sql("select id from " + table + " where company_id = ?::uuid")
				.param(tenant.companyId())
				.query(UUID.class)
				.list();
			assertThat(ids).as(table).hasSize(2).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
		}
	}

	@Test
	void laterIdsSortAfterEarlierOnes() throws InterruptedException {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			ids.add(this.jdbc.sql("select uuid_v7()::text").query(String.class).single());
			Thread.sleep(2);
		}
		assertThat(ids).isSorted().doesNotHaveDuplicates();
	}

}
