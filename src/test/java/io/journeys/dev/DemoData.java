package io.journeys.dev;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import io.journeys.auth.ApiKeyService;
import io.journeys.auth.CreatedApiKey;
import io.journeys.company.CompanyService;
import io.journeys.company.CompanyView;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Creates the demo data on the first start of development mode, through the service's own
 * API, and prints a curl that enrolls someone. What it made is remembered in
 * {@code .data/demo.properties} (the key's token is shown once by the API, so it is kept
 * there for the printout).
 */
@TestConfiguration(proxyBeanMethods = false)
class DemoData {

	private static final Path FILE = DevJourneysApplication.DATA.resolve("demo.properties");

	/**
	 * The port of development mode's webhook receiver
	 * ({@code JOURNEYS_DEV_RECEIVER_PORT}).
	 */
	static final int RECEIVER_PORT = Integer
		.parseInt(System.getenv().getOrDefault("JOURNEYS_DEV_RECEIVER_PORT", "8091"));

	@Bean
	DemoDataListener demoDataListener(CompanyService companies, ApiKeyService keys, Environment environment) {
		return new DemoDataListener(companies, keys, environment);
	}

	/** The demo contacts, as the bulk upsert takes them. */
	private static final String CONTACTS = """
			{"contacts": [
			  {"email_address": "alice@example.com", "first_name": "Alice", "attributes": {"plan": "pro"}},
			  {"email_address": "bob@example.com", "first_name": "Bob", "attributes": {"plan": "free"},
			   "time_zone": "America/New_York"},
			  {"email_address": "carol@example.com", "first_name": "Carol", "attributes": {"plan": "free"}},
			  {"email_address": "dave@example.com", "first_name": "Dave", "status": "inactive",
			   "attributes": {"plan": "free"}}
			]}""";

	static class DemoDataListener {

		private final CompanyService companies;

		private final ApiKeyService keys;

		private final Environment environment;

		DemoDataListener(CompanyService companies, ApiKeyService keys, Environment environment) {
			this.companies = companies;
			this.keys = keys;
			this.environment = environment;
		}

		@EventListener(ApplicationReadyEvent.class)
		void ready() throws IOException {
			String base = "http://localhost:" + this.environment.getProperty("local.server.port", "8080");
			Properties demo = load();
			if (demo.getProperty("token") == null) {
				demo = create(base);
			}
			if (demo.getProperty("running_journey") == null) {
				demo = createRunningJourney(base, demo);
			}
			if (demo.getProperty("reacting_journey") == null) {
				demo = createReactingJourney(base, demo);
			}
			if (demo.getProperty("deciding_journey") == null) {
				demo = createDecidingJourney(base, demo);
			}
			Properties secrets = demo;
			DevWebhookReceiver.start(RECEIVER_PORT, () -> List.of(secrets.getProperty("running_journey_secret"),
					secrets.getProperty("reacting_journey_secret"), secrets.getProperty("deciding_journey_secret")));
			String journey = demo.getProperty("journey");
			String token = demo.getProperty("token");
			String admin = this.environment.getProperty("journeys.admin.token", "");
			System.out.println(
					"""

							==================================================================================
							journeys-service is running in development mode on %1$s
							(embedded PostgreSQL 17, data in .data/postgres; demo data in .data/demo.properties)

							Demo API key:  %2$s
							Demo journey:  %3$s (state on)
							Contacts:      alice@example.com (plan pro), bob@example.com (plan free, America/New_York),
							               carol@example.com (plan free, no time zone), dave@example.com (inactive)
							List:          team@example.com (alice, bob, dave)

							Enroll someone:
							curl -s -X POST %1$s/v1/journeys/%3$s/enroll \\
							  -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' \\
							  -d '{"contact_email_addresses": ["carol@example.com", "nobody@example.com"], "list_email_addresses": ["team@example.com"]}'

							A journey that runs:  %6$s (a 5-second wait, then a webhook to the receiver
							built into development mode, on 127.0.0.1:%7$s, which prints each call and checks its
							signature). Enroll someone, and within seconds the call is printed here and the
							enrollment is completed:
							curl -s -X POST %1$s/v1/journeys/%6$s/enroll \\
							  -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' \\
							  -d '{"contact_email_addresses": ["alice@example.com"]}'
							curl -s %1$s/v1/journeys/%6$s/enrollments -H 'Authorization: Bearer %2$s'

							A journey that reacts:  %8$s. Its trigger is the event signed_up with
							plan pro, its goal the event activated; it waits up to 20 seconds for logged_in, and
							calls the receiver when none came. Send the event that enrolls Bob:
							curl -s -X POST %1$s/v1/events \\
							  -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' \\
							  -d '{"events": [{"name": "signed_up", "contact_email_address": "bob@example.com", "properties": {"plan": "pro"}}]}'
							then, within 20 seconds, either of these (or neither, and watch the call come):
							curl -s -X POST %1$s/v1/events -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' \\
							  -d '{"events": [{"name": "logged_in", "contact_email_address": "bob@example.com"}]}'
							curl -s -X POST %1$s/v1/events -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' \\
							  -d '{"events": [{"name": "activated", "contact_email_address": "bob@example.com"}]}'
							curl -s %1$s/v1/journeys/%8$s/enrollments -H 'Authorization: Bearer %2$s'

							A journey that decides:  %9$s ("Welcome by plan"). A branch on the contact's
							attribute plan sends Alice (pro) to the receiver at once; Bob and Carol (free) wait for
							the next 09:00 in their time zone (Bob's, else the journey's, Europe/Paris), spread over
							15 minutes, before their call. Enroll all three, then look at their due_at and the ways
							the branch counted:
							curl -s -X POST %1$s/v1/journeys/%9$s/enroll \\
							  -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' \\
							  -d '{"contact_email_addresses": ["alice@example.com", "bob@example.com", "carol@example.com"]}'
							curl -s %1$s/v1/journeys/%9$s/enrollments -H 'Authorization: Bearer %2$s'
							curl -s %1$s/v1/journeys/%9$s -H 'Authorization: Bearer %2$s'
							The path a contact would take, without enrolling it (POST /v1/journeys/{id}/preview):
							curl -s -X POST %1$s/v1/journeys/%9$s/preview -H 'Authorization: Bearer %2$s' -H 'Content-Type: application/json' -d '{"contact_email_address": "alice@example.com"}'

							Admin token:   %4$s
							(from JOURNEYS_ADMIN_TOKEN, else made once and kept in .data/admin-token)
							Companies and API keys live under /admin/v1, e.g. the demo company:
							curl -s %1$s/admin/v1/companies/%5$s -H 'Authorization: Bearer %4$s'
							==================================================================================
							"""
						.formatted(base, token, journey, admin, demo.getProperty("company"),
								demo.getProperty("running_journey"), RECEIVER_PORT,
								demo.getProperty("reacting_journey"), demo.getProperty("deciding_journey")));
		}

		private Properties create(String base) throws IOException {
			CompanyView company = this.companies.create("Demo Company");
			CreatedApiKey key = this.keys.create(company.id(), "demo");
			RestClient api = RestClient.builder()
				.baseUrl(base)
				.defaultHeader("Authorization", "Bearer " + key.token())
				.build();
			String journey = post(api, "/v1/journeys", "{\"name\": \"Welcome series\"}");
			switchOn(api, journey);
			post(api, "/v1/contacts/bulk", CONTACTS);
			String list = post(api, "/v1/lists", "{\"name\": \"Team\", \"email_address\": \"team@example.com\"}");
			post(api, "/v1/lists/" + list + "/members",
					"{\"contact_email_addresses\": [\"alice@example.com\", \"bob@example.com\", \"dave@example.com\"]}");
			Properties demo = new Properties();
			demo.setProperty("company", company.id().toString());
			demo.setProperty("token", key.token());
			demo.setProperty("journey", journey);
			try (Writer writer = Files.newBufferedWriter(FILE)) {
				demo.store(writer, "journeys-service demo data (development mode only)");
			}
			return demo;
		}

		/**
		 * The demo journey with steps, added on the first start that lacks it (also to
		 * demo data made before journeys ran): a wait of 5 seconds, then a webhook to
		 * {@link DevWebhookReceiver}.
		 */
		private Properties createRunningJourney(String base, Properties demo) throws IOException {
			return createJourney(base, demo, "running_journey", """
					{"name": "Welcome series that runs", "steps": [
					  {"type": "wait", "duration": "PT5S"},
					  {"type": "webhook", "url": "http://127.0.0.1:%d/demo-webhook"}
					]}""".formatted(RECEIVER_PORT));
		}

		/**
		 * The demo journey that reacts to events, added on the first start that lacks it:
		 * enrolled by {@code signed_up} (plan pro), ended by {@code activated}, waiting
		 * 20 seconds for {@code logged_in} before a webhook to
		 * {@link DevWebhookReceiver}.
		 */
		private Properties createReactingJourney(String base, Properties demo) throws IOException {
			return createJourney(base, demo, "reacting_journey", """
					{"name": "Activation nudge",
					 "trigger": {"event_name": "signed_up", "where": {"property": "plan", "equals": "pro"}},
					 "goal": {"event_name": "activated"},
					 "steps": [
					  {"id": "first-login", "type": "wait_for_event", "event_name": "logged_in", "timeout": "PT20S",
					   "next": "end", "timeout_next": "nudge"},
					  {"id": "nudge", "type": "webhook", "url": "http://127.0.0.1:%d/demo-nudge"}
					]}""".formatted(RECEIVER_PORT));
		}

		/**
		 * The demo journey that decides, added on the first start that lacks it: a branch
		 * on the attribute {@code plan}, {@code pro} to a webhook at once, the others to
		 * a {@code wait_until} 09:00 in their zone (spread over 15 minutes) and then a
		 * webhook, all to {@link DevWebhookReceiver}. Demo contacts made before contacts
		 * had attributes are given theirs first (the bulk upsert changes nothing else).
		 */
		private Properties createDecidingJourney(String base, Properties demo) throws IOException {
			post(RestClient.builder()
				.baseUrl(base)
				.defaultHeader("Authorization", "Bearer " + demo.getProperty("token"))
				.build(), "/v1/contacts/bulk", CONTACTS);
			return createJourney(base, demo, "deciding_journey", """
					{"name": "Welcome by plan", "time_zone": "Europe/Paris", "steps": [
					  {"id": "plan", "type": "branch",
					   "cases": [{"when": {"attribute": "plan", "equals": "pro"}, "next": "pro-welcome"}],
					   "otherwise": "morning"},
					  {"id": "pro-welcome", "type": "webhook", "url": "http://127.0.0.1:%1$d/demo-pro-welcome",
					   "next": "end"},
					  {"id": "morning", "type": "wait_until", "time": "09:00", "spread": "PT15M"},
					  {"id": "welcome", "type": "webhook", "url": "http://127.0.0.1:%1$d/demo-welcome"}
					]}""".formatted(RECEIVER_PORT));
		}

		/**
		 * Made, switched on and remembered as {@code name} (its secret as
		 * {@code name_secret}).
		 */
		private Properties createJourney(String base, Properties demo, String name, String body) throws IOException {
			RestClient api = RestClient.builder()
				.baseUrl(base)
				.defaultHeader("Authorization", "Bearer " + demo.getProperty("token"))
				.build();
			var created = api.post()
				.uri("/v1/journeys")
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.body(java.util.Map.class);
			String journey = created.get("id").toString();
			switchOn(api, journey);
			demo.setProperty(name, journey);
			demo.setProperty(name + "_secret", created.get("webhook_secret").toString());
			try (Writer writer = Files.newBufferedWriter(FILE)) {
				demo.store(writer, "journeys-service demo data (development mode only)");
			}
			return demo;
		}

		private static void switchOn(RestClient api, String journey) {
			api.patch()
				.uri("/v1/journeys/" + journey)
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"state\": \"on\"}")
				.retrieve()
				.toBodilessEntity();
		}

		private static String post(RestClient api, String path, String json) {
			var body = api.post()
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON)
				.body(json)
				.retrieve()
				.body(java.util.Map.class);
			Object id = body == null ? null : body.get("id");
			return id == null ? "" : id.toString();
		}

		private static Properties load() throws IOException {
			Properties demo = new Properties();
			if (Files.exists(FILE)) {
				try (Reader reader = Files.newBufferedReader(FILE)) {
					demo.load(reader);
				}
			}
			return demo;
		}

	}

}
