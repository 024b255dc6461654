package io.journeys.enrollment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients enroll overlapping contacts and lists into one journey at once: nobody
 * ends up enrolled twice, and the counts of all answers add up to the rows created.
 */
class EnrollRaceTests extends ApiTests {

	@Test
	void concurrentOverlappingEnrollsNeverEnrollTwiceAndCountsAddUp() throws Exception {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			emails.add("racer" + i + "@x.com");
		}
		contacts(tenant, "active", emails.toArray(String[]::new));
		List<String> lists = new ArrayList<>();
		for (int l = 0; l < 4; l++) {
			String listEmail = "list" + l + "@lists.com";
			list(tenant, listEmail, emails.subList(l * 60, l * 60 + 120).toArray(String[]::new));
			lists.add(listEmail);
		}

		int requests = 120;
		AtomicInteger enrolled = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<Future<Response>> answers = new ArrayList<>();
		for (int r = 0; r < requests; r++) {
			Random random = new Random(r);
			List<String> shuffled = new ArrayList<>(emails);
			Collections.shuffle(shuffled, random);
			List<String> some = shuffled.subList(0, 40);
			String listEmail = lists.get(random.nextInt(lists.size()));
			String body = "{\"contact_email_addresses\": " + jsonArray(some) + ", \"list_email_addresses\": [\""
					+ listEmail + "\"]}";
			answers.add(pool.submit(() -> this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body)));
		}
		for (Future<Response> answer : answers) {
			Response response = answer.get().hasStatus(200);
			enrolled.addAndGet(response.json().get("enrolled_count").asInt());
			assertThat(response.json().get("not_enrolled").get("not_found").size()).isZero();
		}
		pool.shutdown();

		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement statement = connection.prepareStatement("""
						select count(*) as all_rows, count(distinct contact_id) as contacts,
						       count(*) filter (where status = 'active') as active
						from enrollments where journey_id = ?::uuid
						""")) {
			statement.setString(1, journey);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				assertThat(rs.getInt("all_rows")).isEqualTo(enrolled.get());
				assertThat(rs.getInt("contacts")).isEqualTo(rs.getInt("all_rows"));
				assertThat(rs.getInt("active")).isEqualTo(rs.getInt("all_rows"));
			}
		}
		assertThat(enrolled.get()).isPositive().isLessThanOrEqualTo(300);
	}

	@Test
	void concurrentIdenticalRequestsEnrollEachContactOnce() throws Exception {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			emails.add("same" + i + "@x.com");
		}
		contacts(tenant, "active", emails.toArray(String[]::new));
		String body = "{\"contact_email_addresses\": " + jsonArray(emails) + "}";
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Response>> answers = new ArrayList<>();
		for (int r = 0; r < 8; r++) {
			answers.add(pool.submit(() -> this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body)));
		}
		int enrolled = 0;
		int already = 0;
		for (Future<Response> answer : answers) {
			Response response = answer.get().hasStatus(200);
			enrolled += response.json().get("enrolled_count").asInt();
			already += response.json().get("not_enrolled").get("already_enrolled").size();
		}
		pool.shutdown();
		assertThat(enrolled).isEqualTo(200);
		assertThat(already).isEqualTo(7 * 200);
	}

}
