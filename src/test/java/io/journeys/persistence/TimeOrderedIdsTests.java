package io.journeys.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows the set-based statements insert get UUIDv7 ids of the request's time, numbered in
 * the statement's row order ({@link IdBlock}).
 */
class TimeOrderedIdsTests extends ApiTests {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void enrollmentsAndBulkContactsGetVersion7Ids() {
		Tenant tenant = newTenant();
		this.clock.set(Instant.parse("2031-05-06T07:08:09.123Z"));
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
			List<UUID> ids = this.jdbc.sql("select id from " + table + " where company_id = ?::uuid order by id")
				.param(tenant.companyId())
				.query(UUID.class)
				.list();
			assertThat(ids).as(table).hasSize(2).allSatisfy(id -> {
				assertThat(id.version()).isEqualTo(7);
				assertThat(id.getMostSignificantBits() >>> 16).as("the request's millisecond")
					.isEqualTo(this.clock.instant().toEpochMilli());
			});
			assertThat(ids.get(1).getLeastSignificantBits() - ids.get(0).getLeastSignificantBits())
				.as("rows of one statement are numbered")
				.isEqualTo(1);
		}
	}

	@Test
	void importedRowsGetVersion7IdsOfTheImport() {
		Tenant tenant = newTenant();
		this.clock.set(Instant.parse("2031-05-06T07:08:09.123Z"));
		contacts(tenant, "active", "a@example.com");
		String journey = journey(tenant, "on");
		this.http.post("/v1/journeys/" + journey + "/enrollments/import", tenant.token(),
				"{\"enrollments\": [{\"email_address\": \"a@example.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\","
						+ " \"completed_at\": \"2020-01-02T00:00:00Z\"}]}")
			.hasStatus(200);
		UUID id = this.jdbc.sql("select id from enrollments where company_id = ?::uuid")
			.param(tenant.companyId())
			.query(UUID.class)
			.single();
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(this.clock.instant().toEpochMilli());
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

	/**
	 * The ids the application computes for statements that send them as values are those
	 * the SQL expression gives the same rows, also where the row number carries into the
	 * upper bits of the base.
	 */
	@Test
	void idsMadeInJavaMatchTheSqlExpression() {
		for (int i = 0; i < 50; i++) {
			IdBlock ids = IdBlock.at(Instant.parse("2031-05-06T07:08:09.123Z"));
			for (long row : new long[] { 0, 1, 2, 99_999, 100_000, 0xFFFF_FFFFL }) {
				UUID inSql = ids.bind(this.jdbc.sql(
						"select cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + cast(:row as bigint)) as uuid)"))
					.param("row", row)
					.query(UUID.class)
					.single();
				assertThat(ids.id(row)).isEqualTo(inSql);
			}
		}
	}

}
