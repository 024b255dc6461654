package io.journeys.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 4: enrolls that name lists cannot take every pool connection from small
 * requests.
 */
@TestPropertySource(properties = { "journeys.enrollment.max-concurrent-list-enrolls=1",
		"journeys.enrollment.list-enroll-wait=500ms" })
class ListEnrollBulkheadTests extends ApiTests {

	@Test
	void listEnrollsQueueWhileSmallRequestsPass() throws Exception {
		Tenant tenant = newTenant();
		String busy = journey(tenant, "on");
		String other = journey(tenant, "on");
		contacts(tenant, "active", "a@x.com", "b@x.com");
		list(tenant, "team@lists.com", "a@x.com");
		CompletableFuture<Response> slow;
		try (Connection blocker = TestDatabase.get().connect()) {
			blocker.setAutoCommit(false);
			try (PreparedStatement lock = blocker
				.prepareStatement("select 1 from journeys where company_id = ?::uuid and id = ?::uuid for update")) {
				lock.setString(1, tenant.companyId());
				lock.setString(2, busy);
				lock.executeQuery();
			}
			slow = CompletableFuture.supplyAsync(() -> this.http.post("/v1/journeys/" + busy + "/enroll",
					tenant.token(), "{\"list_email_addresses\": [\"team@lists.com\"]}"));
			Thread.sleep(500);
			this.http
				.post("/v1/journeys/" + other + "/enroll", tenant.token(),
						"{\"list_email_addresses\": [\"team@lists.com\"]}")
				.is(503, "{\"error\": \"Too many enrollments by list are running; retry later\"}");
			this.http
				.post("/v1/journeys/" + other + "/enroll", tenant.token(),
						"{\"contact_email_addresses\": [\"b@x.com\"]}")
				.hasStatus(200);
			assertThat(slow).isNotDone();
			blocker.rollback();
		}
		slow.get(30, TimeUnit.SECONDS).hasStatus(200);
		this.http
			.post("/v1/journeys/" + other + "/enroll", tenant.token(),
					"{\"list_email_addresses\": [\"team@lists.com\"]}")
			.hasStatus(200);
	}

}
