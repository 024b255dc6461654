package io.journeys.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.journeys.idempotency.IdempotencyStore.Stored;
import io.journeys.persistence.SecretSealer;
import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IdempotencyStore} on PostgreSQL: a key is claimed once per company until it
 * expires or its request is stale, an answer is kept sealed and read back, a failed
 * request's key is freed, and expired keys are purged.
 */
@RepositoryTest
@TestPropertySource(properties = "journeys.webhook.secret-key=idempotency-store-test-key")
class IdempotencyStoreTests {

	private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123456Z");

	private static final Instant EXPIRES = NOW.plus(Duration.ofHours(24));

	private static final Instant STALE_BEFORE = NOW.minus(Duration.ofMinutes(2));

	private static final byte[] HASH = { 1, 2, 3 };

	@Autowired
	IdempotencyStore store;

	@Autowired
	JdbcClient jdbc;

	UUID company;

	UUID other;

	@BeforeEach
	void companies() {
		Rows rows = new Rows(this.jdbc);
		this.company = rows.company();
		this.other = rows.company();
	}

	@Test
	void aKeyIsClaimedOncePerCompany() {
		assertThat(this.store.claim(this.company, "k", HASH, NOW, EXPIRES, STALE_BEFORE)).isTrue();
		assertThat(this.store.claim(this.company, "k", new byte[] { 9 }, NOW.plusSeconds(1), EXPIRES, STALE_BEFORE))
			.as("while its request runs")
			.isFalse();
		assertThat(this.store.claim(this.other, "k", HASH, NOW, EXPIRES, STALE_BEFORE)).as("another company's key")
			.isTrue();
		assertThat(this.store.find(this.company, "k")).hasValueSatisfying(stored -> {
			assertThat(stored.requestHash()).isEqualTo(HASH);
			assertThat(stored.done()).isFalse();
		});
	}

	@Test
	void aStaleOrExpiredKeyIsTakenOver() {
		this.store.claim(this.company, "stale", HASH, NOW, EXPIRES, STALE_BEFORE);
		this.store.claim(this.company, "expired", HASH, NOW, NOW.plusSeconds(1), STALE_BEFORE);
		this.store.complete(this.company, "expired", 200, new byte[0]);
		Instant later = NOW.plus(Duration.ofMinutes(3));

		assertThat(this.store.claim(this.company, "stale", new byte[] { 9 }, later, EXPIRES,
				later.minus(Duration.ofMinutes(2))))
			.isTrue();
		assertThat(this.store.claim(this.company, "expired", new byte[] { 9 }, later, EXPIRES, STALE_BEFORE)).isTrue();
		assertThat(this.store.find(this.company, "expired")).hasValueSatisfying(stored -> {
			assertThat(stored.requestHash()).isEqualTo(new byte[] { 9 });
			assertThat(stored.done()).as("the answer of the expired request is gone").isFalse();
		});
	}

	@Test
	void theAnswerIsKeptSealedAndReadBack() {
		byte[] body = "{\"webhook_secret\": \"whsec_shown_once\"}".getBytes(StandardCharsets.UTF_8);
		this.store.claim(this.company, "k", HASH, NOW, EXPIRES, STALE_BEFORE);
		this.store.claim(this.other, "k", HASH, NOW, EXPIRES, STALE_BEFORE);

		this.store.complete(this.company, "k", 201, body);

		assertThat(this.store.find(this.company, "k")).hasValueSatisfying(stored -> {
			assertThat(stored.done()).isTrue();
			assertThat(stored.status()).isEqualTo(201);
			assertThat(stored.body()).isEqualTo(body);
		});
		byte[] kept = this.jdbc
			.sql("select response_body from idempotency_keys where company_id = :company and key = 'k'")
			.param("company", this.company)
			.query(byte[].class)
			.single();
		assertThat(new String(kept, StandardCharsets.ISO_8859_1)).startsWith("aesgcm:").doesNotContain("whsec");
		assertThat(this.store.find(this.other, "k")).map(Stored::done).contains(false);
	}

	@Test
	void releaseFreesARunningKeyButNeverAnAnswer() {
		this.store.claim(this.company, "failed", HASH, NOW, EXPIRES, STALE_BEFORE);
		this.store.claim(this.company, "answered", HASH, NOW, EXPIRES, STALE_BEFORE);
		this.store.complete(this.company, "answered", 200, new byte[] { 1 });
		this.store.claim(this.other, "failed", HASH, NOW, EXPIRES, STALE_BEFORE);

		this.store.release(this.company, "failed");
		this.store.release(this.company, "answered");

		assertThat(this.store.find(this.company, "failed")).isEmpty();
		assertThat(this.store.find(this.company, "answered")).isPresent();
		assertThat(this.store.find(this.other, "failed")).isPresent();
	}

	@Test
	void expiredKeysArePurged() {
		// long ago, so that the purge leaves the keys of the suite's other tests alone
		Instant then = Instant.parse("2001-02-03T04:05:06Z");
		this.store.claim(this.company, "expired", HASH, then.minusSeconds(2), then.minusSeconds(1), STALE_BEFORE);
		this.store.claim(this.company, "live", HASH, then, then.plusSeconds(1), STALE_BEFORE);

		assertThat(this.store.purgeExpired(then)).isPositive();

		assertThat(this.store.find(this.company, "expired")).isEmpty();
		assertThat(this.store.find(this.company, "live")).isPresent();
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	@Import({ IdempotencyStore.class, SecretSealer.class })
	static class Repository {

	}

}
