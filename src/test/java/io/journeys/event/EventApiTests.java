package io.journeys.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/events} and what events do to journeys through the API. The runner (and
 * with it the loop that applies events) is off in these tests: they apply pending events
 * themselves, as another instance would after the one that answered died.
 */
class EventApiTests extends ApiTests {

	@Autowired
	private EventEffects effects;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private DataSource dataSource;

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.clock.set(Instant.parse("2026-06-01T09:00:00Z"));
	}

	private Response send(String... events) {
		return this.http.post("/v1/events", this.tenant.token(), "{\"events\": [" + String.join(", ", events) + "]}");
	}

	private static String event(String id, String name, String email) {
		return "{\"id\": \"" + id + "\", \"name\": \"" + name + "\", \"contact_email_address\": \"" + email + "\"}";
	}

	private int apply() {
		return this.effects.applyPending(UUID.fromString(this.tenant.companyId()));
	}

	private String journeyWith(String fields) {
		String id = this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Reacts\", " + fields + "}")
			.hasStatus(201)
			.text("id");
		this.http.patch("/v1/journeys/" + id, this.tenant.token(), "{\"state\": \"on\"}").hasStatus(200);
		return id;
	}

	private List<JsonNode> enrollments(String journey) {
		return walk("/v1/journeys/" + journey + "/enrollments", this.tenant.token());
	}

	@Test
	void aBatchIsCountedAndUnknownContactsAreReportedSortedOnce() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		contacts(this.tenant, "inactive", "off@x.com");
		send(event("e1", "signed_up", "a@x.com"), event("e2", "signed_up", " B@X.com "),
				event("e3", "signed_up", "zed@x.com"), event("e4", "signed_up", "off@x.com"),
				event("e5", "signed_up", "Abe@x.com"), event("e6", "signed_up", "zed@x.com"))
			.is(200, "{\"accepted\": 3, \"duplicates\": 0, \"not_found\": [\"abe@x.com\", \"zed@x.com\"]}");
		send(event("e1", "signed_up", "a@x.com"), event("e7", "clicked", "a@x.com"), event("e7", "clicked", "a@x.com"))
			.is(200, "{\"accepted\": 1, \"duplicates\": 2, \"not_found\": []}");
	}

	@Test
	void aContactsEventsAreListedNewestFirstPageByPage() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		send("{\"id\": \"old\", \"name\": \"opened\", \"contact_email_address\": \"a@x.com\", "
				+ "\"occurred_at\": \"2026-06-01T08:00:00+02:00\", \"properties\": {\"plan\": \"pro\", \"n\": 2}}",
				"{\"name\": \"clicked\", \"contact_email_address\": \"a@x.com\"}", event("other", "opened", "b@x.com"))
			.hasStatus(200);
		String contact = this.http.get("/v1/contacts?email_address=a@x.com", this.tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		List<JsonNode> events = walk("/v1/contacts/" + contact + "/events?limit=1", this.tenant.token());
		assertThat(events).extracting(event -> event.get("name").asString()).containsExactly("clicked", "opened");
		JsonNode newest = events.get(0);
		assertThat(newest.get("object").asString()).isEqualTo("event");
		assertThat(newest.get("occurred_at").asString()).isEqualTo("2026-06-01T09:00:00Z");
		assertThat(newest.get("properties").toString()).isEqualTo("{}");
		assertThat(UUID.fromString(newest.get("id").asString())).as("an id was made").isNotNull();
		assertThat(events.get(1).get("id").asString()).isEqualTo("old");
		assertThat(events.get(1).get("occurred_at").asString()).isEqualTo("2026-06-01T06:00:00Z");
		assertThat(events.get(1).get("properties").toString()).isEqualTo("{\"plan\":\"pro\",\"n\":2}");
		this.http.get("/v1/contacts/" + UUID.randomUUID() + "/events", this.tenant.token())
			.is(404, "{\"error\": \"Contact not found\"}");
		Tenant other = newTenant();
		this.http.get("/v1/contacts/" + contact + "/events", other.token())
			.is(404, "{\"error\": \"Contact not found\"}");
	}

	@Test
	void anyInvalidEventRefusesTheWholeBatchAndStoresNothing() {
		contacts(this.tenant, "active", "a@x.com");
		String tooLong = "x".repeat(256);
		send(event("ok", "fine", "a@x.com"), "{\"contact_email_address\": \"a@x.com\"}",
				"{\"id\": \"\", \"name\": \"n\", \"contact_email_address\": \"a@x.com\"}",
				"{\"name\": \"" + tooLong + "\", \"contact_email_address\": \"a@x.com\"}",
				"{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"properties\": [1]}",
				"{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"occurred_at\": \"2026-06-01T09:05:01Z\"}",
				"{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"occurred_at\": \"yesterday\"}",
				"{\"name\": \"n\"}", "{\"name\": 7, \"contact_email_address\": \"a@x.com\"}")
			.is(422, "{\"error\": {\"events[1].name\": [\"can't be blank\"], "
					+ "\"events[4].properties\": [\"must be an object\"], "
					+ "\"events[6].occurred_at\": [\"must be an ISO-8601 time with a zone offset\"], "
					+ "\"events[8].name\": [\"must be a string\"], "
					+ "\"events[2].id\": [\"must be 1 to 255 characters\"], "
					+ "\"events[3].name\": [\"is too long (maximum is 255 characters)\"], "
					+ "\"events[7].contact_email_address\": [\"can't be blank\"]}}");
		send("{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"properties\": {\"fine\": true}}",
				"{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"occurred_at\": \"2026-06-01T09:05:01Z\"}",
				"{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"occurred_at\": \"2026-06-01T09:05:00Z\"}",
				"{\"name\": \"n\", \"contact_email_address\": \"a@x.com\", \"properties\": {\"big\": \""
						+ "y".repeat(16 * 1024) + "\"}}")
			.is(422, "{\"error\": {\"events[1].occurred_at\": [\"can't be more than 5 minutes in the future\"], "
					+ "\"events[3].properties\": [\"is too large (maximum is 16 KiB as JSON)\"]}}");
		this.http.post("/v1/events", this.tenant.token(), "{\"events\": []}")
			.is(422, "{\"error\": {\"events\": [\"can't be empty\"]}}");
		this.http.post("/v1/events", this.tenant.token(), "{}")
			.is(422, "{\"error\": {\"events\": [\"can't be blank\"]}}");
		String many = IntStream.range(0, 1001)
			.mapToObj(i -> event("m" + i, "n", "a@x.com"))
			.collect(Collectors.joining(", "));
		this.http.post("/v1/events", this.tenant.token(), "{\"events\": [" + many + "]}")
			.is(422, "{\"error\": {\"events\": [\"is too long (maximum is 1000)\"]}}");
		assertThat(storedEvents()).isZero();
	}

	private long queued() {
		return this.jdbc.sql("select count(*) from event_queue where company_id = :company")
			.param("company", UUID.fromString(this.tenant.companyId()))
			.query(Long.class)
			.single();
	}

	private long storedEvents() {
		return this.jdbc.sql("select count(*) from events where company_id = :company")
			.param("company", UUID.fromString(this.tenant.companyId()))
			.query(Long.class)
			.single();
	}

	@Test
	void aTriggerEnrollsUnderTheEnrollRulesAndKeepsTheEvent() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com", "c@x.com");
		contacts(this.tenant, "inactive", "off@x.com");
		String journey = journeyWith("\"trigger\": {\"event_name\": \"signed_up\", "
				+ "\"where\": {\"property\": \"plan\", \"in\": [\"pro\", \"team\"]}}");
		send("{\"id\": \"t1\", \"name\": \"signed_up\", \"contact_email_address\": \"a@x.com\", "
				+ "\"occurred_at\": \"2026-06-01T08:59:00Z\", \"properties\": {\"plan\": \"pro\"}}",
				"{\"id\": \"t2\", \"name\": \"signed_up\", \"contact_email_address\": \"b@x.com\", "
						+ "\"properties\": {\"plan\": \"free\"}}",
				"{\"id\": \"t3\", \"name\": \"signed_up\", \"contact_email_address\": \"off@x.com\", "
						+ "\"properties\": {\"plan\": \"pro\"}}",
				"{\"id\": \"t4\", \"name\": \"logged_in\", \"contact_email_address\": \"c@x.com\", "
						+ "\"properties\": {\"plan\": \"pro\"}}")
			.hasStatus(200);
		assertThat(enrollments(journey)).as("nothing before the events are applied").isEmpty();
		assertThat(apply()).as("logged_in: no journey listens to it, it was stored as applied").isEqualTo(3);
		List<JsonNode> enrolled = enrollments(journey);
		assertThat(enrolled).hasSize(1);
		JsonNode enrollment = enrolled.get(0);
		assertThat(enrollment.get("email_address").asString()).isEqualTo("a@x.com");
		assertThat(enrollment.get("source").asString()).isEqualTo("trigger");
		assertThat(enrollment.get("enrolled_at").asString()).isEqualTo("2026-06-01T08:59:00Z");
		assertThat(enrollment.get("trigger_event").toString()).isEqualTo("{\"id\":\"t1\",\"name\":\"signed_up\","
				+ "\"occurred_at\":\"2026-06-01T08:59:00Z\",\"properties\":{\"plan\":\"pro\"}}");
		// active already: no second enrollment; the event is still applied once
		send("{\"id\": \"t5\", \"name\": \"signed_up\", \"contact_email_address\": \"a@x.com\", "
				+ "\"properties\": {\"plan\": \"team\"}}")
			.hasStatus(200);
		assertThat(apply()).isEqualTo(1);
		assertThat(apply()).isZero();
		assertThat(enrollments(journey)).hasSize(1);
		// recently completed: not again within the re-entry window
		this.http
			.post("/v1/journeys/" + journey + "/complete", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		send("{\"id\": \"t6\", \"name\": \"signed_up\", \"contact_email_address\": \"a@x.com\", "
				+ "\"properties\": {\"plan\": \"team\"}}")
			.hasStatus(200);
		apply();
		assertThat(enrollments(journey)).hasSize(1);
		// a journey that is off starts nothing
		this.http.patch("/v1/journeys/" + journey, this.tenant.token(), "{\"state\": \"off\"}").hasStatus(200);
		send("{\"id\": \"t7\", \"name\": \"signed_up\", \"contact_email_address\": \"c@x.com\", "
				+ "\"properties\": {\"plan\": \"pro\"}}")
			.hasStatus(200);
		apply();
		assertThat(enrollments(journey)).hasSize(1);
	}

	@Test
	void aGoalEndsTheEnrollmentOnlyForEventsFromItsEnrollmentOn() {
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
		String journey = journeyWith("\"goal\": {\"event_name\": \"activated\"}, "
				+ "\"steps\": [{\"type\": \"wait\", \"duration\": \"P1D\"}]");
		this.http
			.post("/v1/journeys/" + journey + "/enroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\", \"b@x.com\"]}")
			.hasStatus(200);
		send("{\"id\": \"g1\", \"name\": \"activated\", \"contact_email_address\": \"a@x.com\"}",
				"{\"id\": \"g2\", \"name\": \"activated\", \"contact_email_address\": \"b@x.com\", "
						+ "\"occurred_at\": \"2026-06-01T08:00:00Z\"}")
			.hasStatus(200);
		apply();
		List<JsonNode> rows = enrollments(journey);
		JsonNode a = rows.stream()
			.filter(row -> row.get("email_address").asString().equals("a@x.com"))
			.findFirst()
			.get();
		JsonNode b = rows.stream()
			.filter(row -> row.get("email_address").asString().equals("b@x.com"))
			.findFirst()
			.get();
		assertThat(a.get("status").asString()).isEqualTo("exited");
		assertThat(a.get("exit_reason").asString()).isEqualTo("goal_reached");
		assertThat(b.get("status").asString()).as("its event occurred before it was enrolled").isEqualTo("active");
		JsonNode detail = this.http
			.get("/v1/journeys/" + journey + "/enrollments/" + a.get("id").asString(), this.tenant.token())
			.hasStatus(200)
			.json();
		assertThat(detail.get("exit_event").toString())
			.isEqualTo("{\"id\":\"g1\",\"name\":\"activated\",\"occurred_at\":\"2026-06-01T09:00:00Z\"}");
		JsonNode stats = this.http.get("/v1/journeys/" + journey, this.tenant.token()).json().get("stats");
		assertThat(stats.get("goal_reached").asLong()).isEqualTo(1);
		assertThat(stats.get("exited").asLong()).isEqualTo(1);
	}

	@Test
	void theSameEventIdSentTwiceAtOnceIsStoredAndAppliedOnce() throws Exception {
		contacts(this.tenant, "active", "a@x.com");
		String journey = journeyWith("\"trigger\": {\"event_name\": \"bought\"}");
		CyclicBarrier start = new CyclicBarrier(2);
		List<CompletableFuture<JsonNode>> answers = new ArrayList<>();
		for (int client = 0; client < 2; client++) {
			answers.add(CompletableFuture.supplyAsync(() -> {
				try {
					start.await();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
				return send(event("same", "bought", "a@x.com")).hasStatus(200).json();
			}));
		}
		List<JsonNode> bodies = answers.stream().map(CompletableFuture::join).toList();
		assertThat(bodies.stream().mapToInt(body -> body.get("accepted").asInt()).sum()).isEqualTo(1);
		assertThat(bodies.stream().mapToInt(body -> body.get("duplicates").asInt()).sum()).isEqualTo(1);
		assertThat(storedEvents()).isEqualTo(1);
		assertThat(apply()).isEqualTo(1);
		this.http
			.post("/v1/journeys/" + journey + "/unenroll", this.tenant.token(),
					"{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		send(event("same", "bought", "a@x.com")).is(200, "{\"accepted\": 0, \"duplicates\": 1, \"not_found\": []}");
		assertThat(apply()).isZero();
		assertThat(enrollments(journey)).hasSize(1);
	}

	@Test
	void aThousandEventsForAThousandContactsInOneRequest() {
		List<String> active = IntStream.range(0, 900).mapToObj(i -> "c" + i + "@x.com").toList();
		List<String> inactive = IntStream.range(900, 950).mapToObj(i -> "c" + i + "@x.com").toList();
		contacts(this.tenant, "active", active.toArray(String[]::new));
		contacts(this.tenant, "inactive", inactive.toArray(String[]::new));
		String journey = journeyWith("\"trigger\": {\"event_name\": \"signed_up\"}");
		String events = IntStream.range(0, 1000)
			.mapToObj(i -> event("s" + i, "signed_up", "c" + i + "@x.com"))
			.collect(Collectors.joining(", "));
		JsonNode answer = this.http.post("/v1/events", this.tenant.token(), "{\"events\": [" + events + "]}")
			.hasStatus(200)
			.json();
		assertThat(answer.get("accepted").asInt()).isEqualTo(950);
		assertThat(answer.get("duplicates").asInt()).isZero();
		List<String> notFound = new ArrayList<>();
		answer.get("not_found").forEach(email -> notFound.add(email.asString()));
		assertThat(notFound).hasSize(50).isSorted().allMatch(email -> email.matches("c9[5-9]\\d@x.com"));
		assertThat(apply()).isEqualTo(950);
		assertThat(enrollments(journey)).hasSize(900)
			.allMatch(row -> active.contains(row.get("email_address").asString()));
	}

	@Test
	void eventsOfOneCompanyTouchNothingOfAnother() {
		Tenant other = newTenant();
		contacts(this.tenant, "active", "a@x.com");
		contacts(other, "active", "a@x.com");
		String mine = journeyWith("\"trigger\": {\"event_name\": \"signed_up\"}");
		Tenant me = this.tenant;
		this.tenant = other;
		String theirs = journeyWith(
				"\"trigger\": {\"event_name\": \"signed_up\"}, " + "\"goal\": {\"event_name\": \"signed_up\"}");
		this.http
			.post("/v1/journeys/" + theirs + "/enroll", other.token(), "{\"contact_email_addresses\": [\"a@x.com\"]}")
			.hasStatus(200);
		this.clock.advance(Duration.ofMinutes(1));
		this.tenant = me;
		send(event("x1", "signed_up", "a@x.com")).hasStatus(200);
		this.tenant = other;
		send(event("x1", "unrelated", "a@x.com")).is(200, "{\"accepted\": 1, \"duplicates\": 0, \"not_found\": []}");
		assertThat(apply()).as("its one event is no journey's: stored as applied").isZero();
		this.tenant = me;
		assertThat(apply()).isEqualTo(1);
		assertThat(enrollments(mine)).hasSize(1);
		this.tenant = other;
		List<JsonNode> theirRows = enrollments(theirs);
		assertThat(theirRows).hasSize(1);
		assertThat(theirRows.get(0).get("status").asString()).isEqualTo("active");
		assertThat(theirRows.get(0).get("source").asString()).isEqualTo("contact");
	}

	@Test
	void eventsAcceptedByAnInstanceThatDiedAreAppliedByAnother() {
		contacts(this.tenant, "active", "a@x.com");
		String journey = journeyWith("\"trigger\": {\"event_name\": \"signed_up\"}");
		send(event("d1", "signed_up", "a@x.com")).hasStatus(200);
		// the answering instance's loop is off here, as if it had died after answering
		assertThat(queued()).isEqualTo(1);
		assertThat(enrollments(journey)).isEmpty();
		assertThat(apply()).isEqualTo(1);
		assertThat(enrollments(journey)).hasSize(1);
	}

	@Test
	void whileAnotherInstanceAppliesACompanysEventsThisOneLeavesThemToIt() throws Exception {
		contacts(this.tenant, "active", "a@x.com");
		String journey = journeyWith("\"trigger\": {\"event_name\": \"signed_up\"}");
		send(event("busy", "signed_up", "a@x.com")).hasStatus(200);
		try (Connection other = this.dataSource.getConnection()) {
			other.setAutoCommit(false);
			try (PreparedStatement lock = other
				.prepareStatement("select pg_advisory_xact_lock(hashtextextended('events:' || ?, 0))")) {
				lock.setString(1, this.tenant.companyId());
				lock.execute();
			}
			assertThat(apply()).isEqualTo(EventEffects.BUSY);
			assertThat(enrollments(journey)).isEmpty();
			other.rollback();
		}
		assertThat(apply()).isEqualTo(1);
		assertThat(enrollments(journey)).hasSize(1);
	}

	@Test
	void anEventRacingItsContactsDeleteIsNotFoundAndNothingIsLeftBehind() throws Exception {
		contacts(this.tenant, "active", "a@x.com");
		CompletableFuture<Response> answer;
		try (Connection delete = this.dataSource.getConnection()) {
			// a contact delete in flight: its lock held, its row gone, not yet committed
			delete.setAutoCommit(false);
			try (PreparedStatement lock = delete
				.prepareStatement("select pg_advisory_xact_lock(hashtextextended('contact-deletes:' || ?, 0))");
					PreparedStatement gone = delete
						.prepareStatement("delete from contacts where company_id = cast(? as uuid)")) {
				lock.setString(1, this.tenant.companyId());
				lock.execute();
				gone.setString(1, this.tenant.companyId());
				gone.executeUpdate();
			}
			answer = CompletableFuture.supplyAsync(() -> send(event("race", "signed_up", "a@x.com")));
			Thread.sleep(300);
			assertThat(answer).as("the batch waits for the delete").isNotDone();
			delete.commit();
		}
		answer.join().is(200, "{\"accepted\": 0, \"duplicates\": 0, \"not_found\": [\"a@x.com\"]}");
		assertThat(storedEvents()).isZero();
	}

	@Test
	void deletingAContactDeletesItsEvents() {
		contacts(this.tenant, "active", "a@x.com");
		// a draft journey listens: the event is queued for its effects
		this.http
			.post("/v1/journeys", this.tenant.token(),
					"{\"name\": \"Draft\", \"trigger\": {\"event_name\": \"signed_up\"}}")
			.hasStatus(201);
		send(event("del", "signed_up", "a@x.com")).hasStatus(200);
		assertThat(queued()).isEqualTo(1);
		String contact = this.http.get("/v1/contacts?email_address=a@x.com", this.tenant.token())
			.json()
			.get("data")
			.get(0)
			.get("id")
			.asString();
		this.http.delete("/v1/contacts/" + contact, this.tenant.token()).hasStatus(204);
		assertThat(storedEvents()).isZero();
		assertThat(queued()).as("nothing left to apply for a contact that is gone").isZero();
		contacts(this.tenant, "active", "a@x.com");
		send(event("del", "signed_up", "a@x.com")).is(200, "{\"accepted\": 1, \"duplicates\": 0, \"not_found\": []}");
	}

}
