package io.journeys.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries with {@code Idempotency-Key}: replayed, refused on a different body, stored in
 * PostgreSQL.
 */
class IdempotencyTests extends ApiTests {

	@Autowired
	IdempotencyStore store;

	@Autowired
	IdempotencyConfiguration.IdempotencyPurge purge;

	private Tenant tenant;

	private String journey;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
		this.journey = journey(this.tenant, "on");
		contacts(this.tenant, "active", "a@x.com", "b@x.com");
	}

	private Response enroll(String key, String body) {
		return this.http.send(
				"POST", "/v1/journeys/" + this.journey + "/enroll", Map.of("Authorization",
						"Bearer " + this.tenant.token(), "Content-Type", "application/json", "Idempotency-Key", key),
				body.getBytes());
	}

	@Test
	void aRetryGetsTheStoredAnswerMarkedAsReplayed() {
		String body = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		String first = "{\"enrolled_count\": 1, \"not_enrolled\": {\"not_found\": [], \"already_enrolled\": [], \"recently_completed\": []}}";
		Response original = enroll("key-1", body).is(200, first);
		assertThat(original.header("Idempotent-Replayed")).isNull();
		Response retry = enroll("key-1", body).is(200, first);
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		// without the key the same body runs again, and finds the contact enrolled
		this.http.post("/v1/journeys/" + this.journey + "/enroll", this.tenant.token(), body)
			.is(200, "{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [], \"already_enrolled\": [\"a@x.com\"], \"recently_completed\": []}}");
	}

	@Test
	void theSameKeyWithAnotherBodyIs422() {
		enroll("key-2", "{\"contact_email_addresses\": [\"a@x.com\"]}").hasStatus(200);
		enroll("key-2", "{\"contact_email_addresses\": [\"b@x.com\"]}").is(422,
				"{\"error\": \"Idempotency-Key was already used with a different request\"}");
	}

	@Test
	void errorsAreReplayedToo() {
		enroll("key-3", "{}").hasStatus(422);
		Response retry = enroll("key-3", "{}").hasStatus(422);
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
	}

	@Test
	void keysBelongToACompany() {
		String body = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		enroll("shared-key", body).hasStatus(200);
		Tenant other = newTenant();
		String otherJourney = journey(other, "on");
		Response response = this.http.send("POST", "/v1/journeys/" + otherJourney + "/enroll", Map.of("Authorization",
				"Bearer " + other.token(), "Content-Type", "application/json", "Idempotency-Key", "shared-key"),
				body.getBytes());
		response.is(200,
				"{\"enrolled_count\": 0, \"not_enrolled\": {\"not_found\": [\"a@x.com\"], \"already_enrolled\": [], \"recently_completed\": []}}");
		assertThat(response.header("Idempotent-Replayed")).isNull();
	}

	@Test
	void aKeyStillRunningIs409() {
		UUID company = UUID.fromString(this.tenant.companyId());
		Instant now = Instant.now();
		String path = "/v1/journeys/" + this.journey + "/enroll";
		assertThat(
				this.store.claim(company, "running-key", new byte[32], now, now.plusSeconds(60), now.minusSeconds(60)))
			.isTrue();
		enroll("running-key", "{}").is(409,
				"{\"error\": \"A request with this Idempotency-Key is still being processed; retry later\"}");
		assertThat(path).isNotEmpty();
	}

	@Test
	void overlongKeysAre422() {
		enroll("k".repeat(256), "{}").is(422,
				"{\"error\": {\"Idempotency-Key\": [\"is too long (maximum is 255 characters)\"]}}");
		enroll("k".repeat(255), "{\"contact_email_addresses\": [\"a@x.com\"]}").hasStatus(200);
	}

	@Test
	void expiredKeysArePurgedAndCanBeUsedAgain() {
		String body = "{\"contact_email_addresses\": [\"a@x.com\"]}";
		enroll("old-key", body).hasStatus(200);
		UUID company = UUID.fromString(this.tenant.companyId());
		assertThat(this.store.find(company, "old-key")).isPresent();
		this.clock.set(Instant.now().plus(Duration.ofHours(25)));
		assertThat(this.purge.purge()).isPositive();
		assertThat(this.store.find(company, "old-key")).isEmpty();
		Response fresh = enroll("old-key", body).hasStatus(200);
		assertThat(fresh.header("Idempotent-Replayed")).isNull();
	}

}
