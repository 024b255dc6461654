package io.journeys.clients;

import java.util.List;
import java.util.Map;

import io.journeys.client.ApiClient;
import io.journeys.client.ApiException;
import io.journeys.client.api.EnrollmentsApi;
import io.journeys.client.model.EnrollRequest;
import io.journeys.client.model.EnrollResult;
import io.journeys.client.model.ErrorMessage;
import io.journeys.client.model.ValidationError;
import io.journeys.support.ApiTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The Java client that openapi-generator 7.25.0 makes from {@code docs/openapi.json}
 * ({@code java --library native}), against the running service: the contract's three
 * example requests, and each of its errors read as a typed body. Runs with
 * {@code ./mvnw -Pclients verify}.
 */
class GeneratedClientTests extends ApiTests {

	@Test
	void theContractsExampleRequests() throws ApiException {
		Tenant tenant = newTenant();
		contacts(tenant, "active", "user1@example.com", "user2@example.com", "user3@example.com");
		list(tenant, "team@company.com", "user1@example.com", "user2@example.com");
		list(tenant, "engineering@company.com", "user3@example.com");
		EnrollmentsApi api = enrollments(tenant.token());

		EnrollResult byEmail = api.enroll(journey(tenant, "on"), null, null, new EnrollRequest()
			.contactEmailAddresses(List.of("user1@example.com", "user2@example.com", "user3@example.com")));
		assertThat(byEmail.getEnrolledCount()).isEqualTo(3);

		EnrollResult byList = api.enroll(journey(tenant, "on"), null, null,
				new EnrollRequest().listEmailAddresses(List.of("team@company.com", "engineering@company.com")));
		assertThat(byList.getEnrolledCount()).isEqualTo(3);

		String journey = journey(tenant, "on");
		api.enroll(journey, null, null, new EnrollRequest().contactEmailAddresses(List.of("user2@example.com")));
		EnrollResult both = api.enroll(journey, null, null, new EnrollRequest()
			.contactEmailAddresses(List.of("user1@example.com", "nobody@example.com"))
			.listEmailAddresses(List.of("team@company.com")));
		assertThat(both.getEnrolledCount()).isEqualTo(1);
		assertThat(both.getNotEnrolled().getNotFound()).containsExactly("nobody@example.com");
		assertThat(both.getNotEnrolled().getAlreadyEnrolled()).containsExactly("user2@example.com");
		assertThat(both.getNotEnrolled().getRecentlyCompleted()).isEmpty();
	}

	@Test
	void theContractsErrorsAreTypedBodies() throws Exception {
		Tenant tenant = newTenant();
		list(tenant, "duplicate@company.com");
		list(tenant, "duplicate@company.com");
		EnrollmentsApi api = enrollments(tenant.token());
		String on = journey(tenant, "on");
		EnrollRequest someone = new EnrollRequest().contactEmailAddresses(List.of("user1@example.com"));

		assertMessage(() -> api.enroll("missing", null, null, someone), 404, "Journey not found");
		assertMessage(() -> api.enroll(journey(tenant, "draft"), null, null, someone), 422,
				"Journey must be in 'on' state to enroll people. Current state: draft");
		ApiException none = failure(() -> api.enroll(on, null, null, new EnrollRequest()));
		assertThat(none.getCode()).isEqualTo(422);
		assertThat(read(none, ValidationError.class).getError()).isEqualTo(Map.of("base",
				List.of("at least one of contact_email_addresses or list_email_addresses must be provided")));
		assertMessage(
				() -> api.enroll(on, null, null,
						new EnrollRequest().listEmailAddresses(List.of("nonexistent@company.com"))),
				422, "No list found with email address: nonexistent@company.com");
		assertMessage(
				() -> api.enroll(on, null, null,
						new EnrollRequest().listEmailAddresses(List.of("duplicate@company.com"))),
				422, "Multiple lists (2) found with email address: duplicate@company.com. "
						+ "Please ensure each list has a unique email address.");
		assertMessage(() -> enrollments("jrn_not_a_key").enroll(on, null, null, someone), 401,
				"Invalid or missing API token");
	}

	private EnrollmentsApi enrollments(String token) {
		ApiClient client = new ApiClient();
		client.updateBaseUri("http://localhost:" + this.port);
		client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
		return new EnrollmentsApi(client);
	}

	private static void assertMessage(Call call, int status, String message) throws Exception {
		ApiException failure = failure(call);
		assertThat(failure.getCode()).isEqualTo(status);
		assertThat(read(failure, ErrorMessage.class).getError()).isEqualTo(message);
	}

	private static ApiException failure(Call call) {
		ApiException failure = catchThrowableOfType(ApiException.class, call::run);
		assertThat(failure).as("the call fails").isNotNull();
		return failure;
	}

	private static <T> T read(ApiException failure, Class<T> type) throws Exception {
		return new ApiClient().getObjectMapper().readValue(failure.getResponseBody(), type);
	}

	@FunctionalInterface
	private interface Call {

		void run() throws Exception;

	}

}
