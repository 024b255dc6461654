package io.journeys.support;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A run of webhook calls through the API of a service under test: a new company with
 * {@code contacts} contacts on one list, a journey of one webhook step to the receiver
 * (which gets its secret), switched on, and the list enrolled.
 */
public final class WebhookRun {

	private WebhookRun() {
	}

	/** Starts the run; the journey's id. */
	public static String start(Http http, String adminToken, WebhookReceiver receiver, String prefix, int contacts) {
		String company = http.post("/admin/v1/companies", adminToken, "{\"name\": \"" + prefix + "\"}")
			.hasStatus(201)
			.text("id");
		String token = http.post("/admin/v1/companies/" + company + "/api_keys", adminToken, "{\"name\": \"k\"}")
			.hasStatus(201)
			.text("token");
		Response created = http
			.post("/v1/journeys", token,
					"{\"name\": \"j\", \"steps\": [{\"type\": \"webhook\", \"url\": \"" + receiver.url() + "\"}]}")
			.hasStatus(201);
		receiver.secret(created.text("webhook_secret"));
		String journey = created.text("id");
		List<String> emails = IntStream.range(0, contacts).mapToObj(i -> "\"" + prefix + i + "@x.com\"").toList();
		http.post("/v1/contacts/bulk", token, "{\"contacts\": ["
				+ emails.stream().map(email -> "{\"email_address\": " + email + "}").collect(Collectors.joining(","))
				+ "]}")
			.hasStatus(200);
		String list = http.post("/v1/lists", token, "{\"name\": \"All\", \"email_address\": \"all@lists.com\"}")
			.hasStatus(201)
			.text("id");
		http.post("/v1/lists/" + list + "/members", token,
				"{\"contact_email_addresses\": [" + String.join(",", emails) + "]}")
			.hasStatus(200);
		http.patch("/v1/journeys/" + journey, token, "{\"state\": \"on\"}").hasStatus(200);
		http.post("/v1/journeys/" + journey + "/enroll", token, "{\"list_email_addresses\": [\"all@lists.com\"]}")
			.hasStatus(200);
		return journey;
	}

}
