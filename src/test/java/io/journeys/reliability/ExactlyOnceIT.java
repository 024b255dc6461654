package io.journeys.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.journeys.JourneysApplication;
import io.journeys.support.ApiTests;
import io.journeys.support.Http;
import io.journeys.support.Response;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Promise 1: exactly once under concurrency, across two service instances on one
 * database, and while the journey is switched off mid-run.
 */
class ExactlyOnceIT extends ApiTests {

	private static final String NOT_ON = "{\"error\": \"Journey must be in 'on' state to enroll people. Current state: off\"}";

	@Test
	void twoInstancesAndOverlappingRequestsEnrollEachContactOnce() throws Exception {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		List<String> emails = seed(tenant, 400);
		TestDatabase database = TestDatabase.get();
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(JourneysApplication.class).run(
				"--server.port=0", "--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password(), "--journeys.admin.token=" + ADMIN_TOKEN)) {
			int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
			List<Http> instances = List.of(this.http, new Http(secondPort));
			double retriesBefore = retries(instances);
			ExecutorService pool = Executors.newFixedThreadPool(16);
			List<Future<Response>> answers = new ArrayList<>();
			for (int r = 0; r < 200; r++) {
				Http instance = instances.get(r % 2);
				String body = body(emails, new Random(r), r % 3 == 0);
				answers
					.add(pool.submit(() -> instance.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body)));
			}
			int enrolled = 0;
			for (Future<Response> answer : answers) {
				enrolled += answer.get().hasStatus(200).json().get("enrolled_count").asInt();
			}
			pool.shutdown();
			Counts counts = counts(tenant, journey);
			assertThat(counts.rows()).isEqualTo(enrolled);
			assertThat(counts.distinctContacts()).isEqualTo(counts.rows());
			assertThat(enrolled).isPositive();
			// Deadlocks are retried, so they hide from the answers; every request inserts
			// in contact order, so there are none to retry.
			assertThat(retries(instances) - retriesBefore).as("enroll attempts retried").isZero();
		}
	}

	private static double retries(List<Http> instances) {
		double retries = 0;
		for (Http instance : instances) {
			String scrape = instance.get("/actuator/prometheus", null).hasStatus(200).body();
			Matcher matcher = Pattern.compile("(?m)^journeys_enroll_retries_total (\\S+)$").matcher(scrape);
			assertThat(matcher.find()).as("journeys_enroll_retries_total in the scrape").isTrue();
			retries += Double.parseDouble(matcher.group(1));
		}
		return retries;
	}

	@Test
	void switchingTheJourneyOffMidRunStopsEnrollmentsAtTheSwitch() throws Exception {
		Tenant tenant = newTenant();
		String journey = journey(tenant, "on");
		List<String> emails = seed(tenant, 400);
		ExecutorService pool = Executors.newFixedThreadPool(12);
		List<Future<Response>> answers = new ArrayList<>();
		Future<Response> off = null;
		// 40 enrolls, the switch, and enrolls on until 20 more were sent after the switch
		// answered (however slow the database, some come after it)
		for (int r = 0, afterSwitch = 0; afterSwitch < 20; r++) {
			String body = body(emails, new Random(1000 + r), false);
			answers.add(pool.submit(() -> this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body)));
			if (r == 40) {
				off = pool
					.submit(() -> this.http.patch("/v1/journeys/" + journey, tenant.token(), "{\"state\": \"off\"}"));
				answers.add(off);
			}
			if (off != null && off.isDone()) {
				afterSwitch++;
			}
			else if (r > 40) {
				Thread.sleep(2);
			}
		}
		int enrolled = 0;
		int refused = 0;
		for (Future<Response> answer : answers) {
			Response response = answer.get();
			if (response.body().contains("\"object\":\"journey\"")) {
				response.hasStatus(200);
				continue;
			}
			if (response.status() == 422) {
				response.is(422, NOT_ON);
				refused++;
			}
			else {
				enrolled += response.hasStatus(200).json().get("enrolled_count").asInt();
			}
		}
		pool.shutdown();
		assertThat(refused).isPositive();
		Counts counts = counts(tenant, journey);
		assertThat(counts.rows()).isEqualTo(enrolled);
		assertThat(counts.distinctContacts()).isEqualTo(counts.rows());
		if (counts.rows() > 0) {
			assertThat(counts.lastEnrolledAt()).isBeforeOrEqualTo(counts.switchedAt());
		}
		this.http.post("/v1/journeys/" + journey + "/enroll", tenant.token(), body(emails, new Random(7), false))
			.is(422, NOT_ON);
		assertThat(counts(tenant, journey).rows()).isEqualTo(counts.rows());
	}

	private List<String> seed(Tenant tenant, int size) {
		List<String> emails = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			emails.add("once" + i + "@x.com");
		}
		contacts(tenant, "active", emails.toArray(String[]::new));
		list(tenant, "half@lists.com", emails.subList(0, size / 2).toArray(String[]::new));
		return emails;
	}

	private static String body(List<String> emails, Random random, boolean withList) {
		List<String> shuffled = new ArrayList<>(emails);
		Collections.shuffle(shuffled, random);
		return "{\"contact_email_addresses\": " + jsonArray(shuffled.subList(0, 30))
				+ (withList ? ", \"list_email_addresses\": [\"half@lists.com\"]" : "") + "}";
	}

	record Counts(int rows, int distinctContacts, java.time.Instant lastEnrolledAt, java.time.Instant switchedAt) {
	}

	private static Counts counts(Tenant tenant, String journey) throws Exception {
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement statement = connection.prepareStatement(
						"""
								select count(*) as all_rows, count(distinct contact_id) as contacts, max(e.enrolled_at) as last,
								       (select updated_at from journeys j where j.company_id = ?::uuid and j.id = ?::uuid) as switched
								from enrollments e where e.company_id = ?::uuid and e.journey_id = ?::uuid and e.status = 'active'
								""")) {
			statement.setString(1, tenant.companyId());
			statement.setString(2, journey);
			statement.setString(3, tenant.companyId());
			statement.setString(4, journey);
			try (ResultSet rs = statement.executeQuery()) {
				rs.next();
				Timestamp last = rs.getTimestamp("last");
				return new Counts(rs.getInt("all_rows"), rs.getInt("contacts"), last == null ? null : last.toInstant(),
						rs.getTimestamp("switched").toInstant());
			}
		}
	}

}
