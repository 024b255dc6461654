package io.journeys.runner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.journeys.persistence.SqlTimes;
import io.journeys.support.ApiTests;
import io.journeys.support.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A preview says what the runner then does: contacts of several attributes and zones are
 * previewed through a journey with a branch, a split and a {@code wait_until} with a
 * spread, then enrolled for real and moved by the runner's passes at the times they fall
 * due. Each real timeline has the preview's steps, entry times and ways, and completes
 * when the preview said.
 */
class PreviewMatchesRunnerTests extends ApiTests {

	private static final String STEPS = """
			"time_zone": "Europe/Paris",
			"steps": [{"id": "plan", "type": "branch", "cases": [
			   {"when": {"any": [{"attribute": "plan", "equals": "pro"},
			     {"event": "visited", "within": "P1D"}]}, "next": "ab"}],
			   "otherwise": "nine"},
			 {"id": "ab", "type": "split", "paths": [{"weight": 1, "next": "short"}, {"weight": 1, "next": "nine"}]},
			 {"id": "short", "type": "wait", "duration": "PT30M"},
			 {"id": "nine", "type": "wait_until", "time": "09:00", "spread": "PT10M"},
			 {"id": "hook", "type": "webhook", "url": "%s", "next": "last"},
			 {"id": "last", "type": "wait", "duration": "PT1H"}]""";

	@Autowired
	private StepRunner runner;

	@Autowired
	private JdbcClient jdbc;

	@Test
	void theRealTimelinesAreThePreviewedPaths() throws Exception {
		try (WebhookReceiver receiver = new WebhookReceiver()) {
			theRealTimelinesAreThePreviewedPaths(receiver);
			assertThat(receiver.calls()).as("the webhook step of every enrollment, once").hasSize(30);
		}
	}

	private void theRealTimelinesAreThePreviewedPaths(WebhookReceiver receiver) {
		this.clock.set(Instant.parse("2026-03-07T20:00:00Z"));
		Tenant tenant = newTenant();
		String journey = this.http
			.post("/v1/journeys", tenant.token(), "{\"name\": \"Decides\", " + STEPS.formatted(receiver.url()) + "}")
			.hasStatus(201)
			.text("id");
		this.http.patch("/v1/journeys/" + journey, tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		List<String> emails = new ArrayList<>();
		// 30 contacts: about 11 reach the split, so both its paths are taken but once in
		// about a thousand runs
		for (int i = 0; i < 30; i++) {
			String email = "c" + i + "@x.com";
			emails.add(email);
			contacts(tenant, "active", email);
			String attributes = i % 3 == 0 ? "{\"plan\": \"pro\"}" : "{\"plan\": \"free\"}";
			String zone = i % 2 == 0 ? "America/New_York" : null;
			this.jdbc
				.sql("update contacts set attributes = cast(? as jsonb), time_zone = ? "
						+ "where company_id = cast(? as uuid) and email_address = ?")
				.params(attributes, zone, tenant.companyId(), email)
				.update();
		}
		this.http
			.post("/v1/events", tenant.token(),
					"{\"events\": [{\"name\": \"visited\", \"contact_email_address\": \"c1@x.com\", "
							+ "\"occurred_at\": \"2026-03-07T08:00:00Z\"}]}")
			.hasStatus(200);

		Map<String, JsonNode> previews = new HashMap<>();
		for (String email : emails) {
			previews.put(email,
					this.http
						.post("/v1/journeys/" + journey + "/preview", tenant.token(),
								"{\"contact_email_address\": \"" + email + "\"}")
						.hasStatus(200)
						.json());
		}
		this.http
			.post("/v1/journeys/" + journey + "/enroll", tenant.token(),
					"{\"contact_email_addresses\": " + jsonArray(emails) + "}")
			.hasStatus(200);
		runUntilAllEnded(tenant);

		List<JsonNode> enrollments = walk("/v1/journeys/" + journey + "/enrollments", tenant.token());
		assertThat(enrollments).hasSize(emails.size());
		List<String> waysTaken = new ArrayList<>();
		for (JsonNode enrollment : enrollments) {
			JsonNode detail = this.http
				.get("/v1/journeys/" + journey + "/enrollments/" + enrollment.get("id").asString(), tenant.token())
				.hasStatus(200)
				.json();
			JsonNode preview = previews.get(enrollment.get("email_address").asString());
			assertThat(detail.get("status").asString()).isEqualTo(preview.get("ends").asString());
			assertThat(detail.get("completed_at").asString()).isEqualTo(preview.get("ends_at").asString());
			// the timeline orders passages of one instant by their decisions only: a
			// webhook
			// answered in no time by the test clock may show the step after it first
			assertThat(real(detail.get("timeline"))).as(enrollment.get("email_address").asString())
				.usingElementComparator(Comparator.comparing(JsonNode::toString))
				.containsExactlyInAnyOrderElementsOf(previewed(preview.get("steps")));
			assertThat(real(detail.get("timeline"))).extracting(passage -> Instant.parse(passage.get("at").asString()))
				.isSorted();
			preview.get("steps").forEach(step -> {
				if (step.has("way")) {
					waysTaken.add(step.get("step_id").asString() + " " + step.get("way").get("next").asString());
				}
			});
		}
		assertThat(waysTaken).as("every way of the branch and the split is taken by someone")
			.contains("plan ab", "plan nine", "ab short", "ab nine");
	}

	/** Each passage's step, start and way. */
	private static List<JsonNode> real(JsonNode timeline) {
		List<JsonNode> passages = new ArrayList<>();
		timeline.forEach(passage -> passages
			.add(passage(passage.get("step_id"), passage.get("started_at"), passage.get("way"))));
		return passages;
	}

	private static List<JsonNode> previewed(JsonNode steps) {
		List<JsonNode> passages = new ArrayList<>();
		steps.forEach(step -> passages.add(passage(step.get("step_id"), step.get("enters_at"), step.get("way"))));
		return passages;
	}

	private static JsonNode passage(JsonNode step, JsonNode at, JsonNode way) {
		ObjectNode passage = JsonNodeFactory.instance.objectNode();
		passage.set("step_id", step);
		passage.put("at", Instant.parse(at.asString()).toString());
		if (way != null) {
			passage.set("way", way);
		}
		return passage;
	}

	/**
	 * Runs passes at the current time until nothing is due now, then moves the clock to
	 * the next due time. The receiver answers the webhook step's calls at once.
	 */
	private void runUntilAllEnded(Tenant tenant) {
		for (int pass = 0; pass < 200; pass++) {
			this.runner.runDue();
			Instant next = this.jdbc
				.sql("select min(due_at) as next from enrollments "
						+ "where company_id = cast(? as uuid) and status = 'active'")
				.params(tenant.companyId())
				.query((rs, row) -> SqlTimes.read(rs, "next"))
				.list()
				.get(0);
			if (next == null) {
				return;
			}
			if (next.isAfter(this.clock.instant())) {
				this.clock.set(next);
			}
		}
		throw new AssertionError("the enrollments did not all end in 200 passes, at " + this.clock.instant() + ": "
				+ this.jdbc
					.sql("select step_id, due_at, attempts from enrollments where company_id = cast(? as uuid) "
							+ "and status = 'active'")
					.params(tenant.companyId())
					.query()
					.listOfRows());
	}

}
