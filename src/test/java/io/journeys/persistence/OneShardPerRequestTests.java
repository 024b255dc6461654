package io.journeys.persistence;

import java.util.Map;

import io.journeys.support.ApiTests;
import io.journeys.support.CitusRouting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Every statement of a request that names one company runs on one shard, as a router
 * query. On a Citus coordinator ({@code .ci/run}'s second pass) the service's sessions
 * here set {@code citus.multi_task_query_log_level = error}, so any statement that Citus
 * would fan out to several shards fails its request, and
 * {@code client_min_messages = debug1}, under which Citus tells the client about every
 * statement it cannot send whole to one shard ("generating subplan", "Collecting INSERT
 * ... SELECT results on coordinator", ...) while a router query says nothing. JDBC
 * templates log what the database told them at debug level; the test reads that log. The
 * statements Hibernate sends (single rows by key) and Bucket4j's are not read this way.
 * On plain PostgreSQL the Citus setting is an unused placeholder and no such message
 * comes.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { CitusRouting.SESSIONS, CitusRouting.JDBC_DEBUG })
class OneShardPerRequestTests extends ApiTests {

	@Autowired
	private JdbcClient jdbc;

	@Test
	void everyCallOfOneCompanyStaysOnItsShard(CapturedOutput output) {
		CitusRouting.startWatching(this.jdbc);
		Tenant tenant = newTenant();
		String token = tenant.token();
		contacts(tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		contacts(tenant, "active", "a@x.com", "e@x.com");
		String single = this.http.post("/v1/contacts", token, "{\"email_address\": \"d@x.com\"}")
			.hasStatus(201)
			.text("id");
		this.http.patch("/v1/contacts/" + single, token, "{\"first_name\": \"Dee\"}").hasStatus(200);
		this.http.get("/v1/contacts?email_address=a@x.com", token).hasStatus(200);
		this.http.get("/v1/contacts?status=active&limit=2", token).hasStatus(200);
		String list = list(tenant, "team@lists.com", "a@x.com", "b@x.com");
		this.http.get("/v1/lists/" + list + "/members", token).hasStatus(200);
		this.http.get("/v1/lists", token).hasStatus(200);
		String journey = journey(tenant, "on");
		this.http.get("/v1/journeys/" + journey, token).hasStatus(200);
		// every lifecycle event type is written by the changes below
		String subscription = this.http
			.post("/v1/subscriptions", token,
					"{\"url\": \"https://hooks.example.com/in\", \"event_types\": [\"enrollment.entered\", "
							+ "\"enrollment.completed\", \"enrollment.exited\", \"enrollment.step_failed\"], "
							+ "\"journey_ids\": [\"" + journey + "\"]}")
			.hasStatus(201)
			.text("id");
		this.http.get("/v1/subscriptions", token).hasStatus(200);
		this.http.get("/v1/subscriptions/" + subscription, token).hasStatus(200);
		this.http.post("/v1/journeys/" + journey + "/enroll", token, "{\"contact_email_addresses\": [\"c@x.com\"]}")
			.is(200, "{\"enrolled_count\": 1, \"not_enrolled\": {\"not_found\": [], "
					+ "\"already_enrolled\": [], \"recently_completed\": []}}");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", token,
					"{\"contact_email_addresses\": [\"c@x.com\", \"nobody@x.com\"], "
							+ "\"list_email_addresses\": [\"team@lists.com\"]}")
			.is(200, "{\"enrolled_count\": 2, \"not_enrolled\": {\"not_found\": [\"nobody@x.com\"], "
					+ "\"already_enrolled\": [\"c@x.com\"], \"recently_completed\": []}}");
		this.http.post("/v1/journeys/" + journey + "/enroll", token, "{\"list_email_addresses\": [\"team@lists.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/enroll?dry_run=true", token,
					"{\"contact_email_addresses\": [\"e@x.com\"]}")
			.is(200, "{\"enrolled_count\": 1, \"not_enrolled\": {\"not_found\": [], "
					+ "\"already_enrolled\": [], \"recently_completed\": []}}");
		this.http
			.post("/v1/journeys/" + journey + "/enroll?dry_run=true", token,
					"{\"contact_email_addresses\": [\"e@x.com\"], \"list_email_addresses\": [\"team@lists.com\"]}")
			.is(200, "{\"enrolled_count\": 1, \"not_enrolled\": {\"not_found\": [], "
					+ "\"already_enrolled\": [\"a@x.com\", \"b@x.com\"], \"recently_completed\": []}}");
		this.http.send(
				"POST", "/v1/journeys/" + journey + "/enroll", Map.of("Authorization", "Bearer " + token,
						"Content-Type", "application/json", "Idempotency-Key", "one-shard-1"),
				"{\"contact_email_addresses\": [\"d@x.com\"]}".getBytes())
			.hasStatus(200);
		this.http.get("/v1/journeys/" + journey + "/enrollments?status=active", token).hasStatus(200);
		this.http.post("/v1/journeys/" + journey + "/complete", token, "{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		this.http.post("/v1/journeys/" + journey + "/enroll", token, "{\"contact_email_addresses\": [\"a@x.com\"]}")
			.is(200, "{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [], "
					+ "\"already_enrolled\": [], \"recently_completed\": [\"a@x.com\"]}}");
		this.http.post("/v1/journeys/" + journey + "/unenroll", token, "{\"contact_email_addresses\": [\"b@x.com\"]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/unenroll", token, "{\"list_email_addresses\": [\"team@lists.com\"]}")
			.hasStatus(200);
		String other = journey(tenant, "on");
		this.http
			.post("/v1/journeys/" + other + "/enrollments/import", token,
					"{\"enrollments\": [{\"email_address\": \"a@x.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\"}, "
							+ "{\"email_address\": \"a@x.com\", \"enrolled_at\": \"2020-01-02T00:00:00Z\"}, "
							+ "{\"email_address\": \"nobody@x.com\", \"enrolled_at\": \"2020-01-01T00:00:00Z\"}]}")
			.hasStatus(200);
		this.http
			.post("/v1/journeys/" + journey + "/enrollments/retry", token,
					"{\"step_id\": null, \"since\": \"2020-01-01T00:00:00Z\"}")
			.is(200, "{\"retried\": 0}");
		this.http.post("/v1/journeys/" + journey + "/enrollments/retry", token, "{}").is(200, "{\"retried\": 0}");
		this.http.delete("/v1/lists/" + list + "/members", token, "{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		this.http
			.patch("/v1/journeys/" + journey, token,
					"{\"trigger\": {\"event_name\": \"signed_up\"}, \"goal\": {\"event_name\": \"activated\"}}")
			.hasStatus(200);
		this.http
			.post("/v1/events", token,
					"{\"events\": [{\"id\": \"one-shard\", \"name\": \"signed_up\", "
							+ "\"contact_email_address\": \"d@x.com\"}, {\"name\": \"viewed\", "
							+ "\"contact_email_address\": \"nobody@x.com\"}]}")
			.is(200, "{\"accepted\": 1, \"duplicates\": 0, \"not_found\": [\"nobody@x.com\"]}");
		this.http.get("/v1/contacts/" + single + "/events", token).hasStatus(200);
		String decides = this.http
			.post("/v1/journeys", token,
					"""
							{"name": "Decides", "goal": {"event_name": "signed_up", "where": {"not": {"property": "x", "exists": true}}},
							 "steps": [{"id": "b", "type": "branch", "cases": [{"when": {"any": [{"attribute": "plan", "equals": "pro"},
							   {"event": "signed_up", "within": "P1D", "where": {"property": "x", "exists": false}}]}, "next": "s"}],
							   "otherwise": "s"},
							  {"id": "s", "type": "split", "paths": [{"weight": 1, "next": "u"}, {"weight": 1, "next": "u"}]},
							  {"id": "u", "type": "wait_until", "time": "09:00", "spread": "PT1H"}]}
							""")
			.hasStatus(201)
			.text("id");
		this.http.post("/v1/journeys/" + decides + "/preview", token, "{\"contact_email_address\": \"d@x.com\"}")
			.hasStatus(200);
		this.http.post("/v1/journeys/" + decides + "/preview", token, "{\"contact_email_address\": \"nobody@x.com\"}")
			.hasStatus(422);
		this.http.get("/v1/subscriptions/" + subscription + "/deliveries?limit=2", token).hasStatus(200);
		this.http.post("/v1/subscriptions/" + subscription + "/replay", token, "{\"since\": \"2020-01-01T00:00:00Z\"}")
			.hasStatus(200);
		this.http.delete("/v1/subscriptions/" + subscription, token).hasStatus(204);
		this.http.delete("/v1/contacts/" + single, token).hasStatus(204);
		this.http.delete("/v1/lists/" + list, token).hasStatus(204);
		this.http.patch("/v1/journeys/" + journey, token, "{\"state\": \"off\"}").hasStatus(200);
		CitusRouting.assertEveryStatementRouted(output);
	}

}
