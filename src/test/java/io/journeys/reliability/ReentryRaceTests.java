package io.journeys.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 12-hour rule holds against a completion that commits while an enroll by email waits
 * for the journey: the enroll must see the completion, not the active enrollment its
 * statement would have seen had it started before the wait.
 */
class ReentryRaceTests extends ApiTests {

	@Test
	void anEnrollWaitingOnACompletionSeesItAsRecent() throws Exception {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		contacts(tenant, "active", "b@x.com");
		String body = "{\"contact_email_addresses\": [\"b@x.com\"]}";
		this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body).hasStatus(200);
		CompletableFuture<Response> enroll;
		try (Connection completion = TestDatabase.get().connect()) {
			// What complete does: lock the journey against enrolls, then complete.
			completion.setAutoCommit(false);
			try (PreparedStatement lock = completion
				.prepareStatement("select 1 from journeys where company_id = ?::uuid and id = ?::uuid for update")) {
				lock.setString(1, tenant.companyId());
				lock.setString(2, journey);
				lock.executeQuery();
			}
			try (PreparedStatement complete = completion.prepareStatement("""
					update enrollments set status = 'completed', completed_at = ?
					where journey_id = ?::uuid and status = 'active'
					""")) {
				complete.setTimestamp(1, Timestamp.from(this.clock.instant()));
				complete.setString(2, journey);
				assertThat(complete.executeUpdate()).isEqualTo(1);
			}
			enroll = CompletableFuture
				.supplyAsync(() -> this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body));
			Thread.sleep(500);
			assertThat(enroll).as("the enroll waits for the completion").isNotDone();
			completion.commit();
		}
		JsonNode answer = enroll.get(30, TimeUnit.SECONDS).hasStatus(200).json();
		assertThat(answer.get("enrolled_count").asInt()).isZero();
		assertThat(answer.get("not_enrolled").get("recently_completed").toString()).isEqualTo("[\"b@x.com\"]");
		assertThat(activeEnrollments(journey)).isZero();
	}

	private static int activeEnrollments(String journey) throws Exception {
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement count = connection.prepareStatement(
						"select count(*) from enrollments where journey_id = ?::uuid and status = 'active'")) {
			count.setString(1, journey);
			try (ResultSet rows = count.executeQuery()) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

}
