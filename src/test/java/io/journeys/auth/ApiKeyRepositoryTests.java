package io.journeys.auth;

import java.time.Instant;
import java.util.UUID;

import io.journeys.support.RepositoryTest;
import io.journeys.support.Rows;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ApiKeyRepository} on PostgreSQL: a token's hash finds the caller of a live key,
 * with its own company, and nothing once the key is revoked.
 */
@RepositoryTest
class ApiKeyRepositoryTests {

	private static final Instant NOW = Instant.parse("2031-05-06T07:08:09.123Z");

	@Autowired
	ApiKeyRepository keys;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aLiveKeysTokenHashFindsItsCompanyAndKey() {
		Rows rows = new Rows(this.jdbc);
		UUID company = rows.company();
		UUID other = rows.company();
		String token = ApiTokens.generate();
		String theirs = ApiTokens.generate();
		ApiKey key = this.keys.save(new ApiKey(company, "k", "jrn_", ApiTokens.hash(token), NOW));
		ApiKey theirKey = this.keys.save(new ApiKey(other, "k", "jrn_", ApiTokens.hash(theirs), NOW));

		assertThat(this.keys.findCaller(ApiTokens.hash(token))).contains(new ApiCaller(company, key.id()));
		assertThat(this.keys.findCaller(ApiTokens.hash(theirs))).contains(new ApiCaller(other, theirKey.id()));
		assertThat(this.keys.findCaller(ApiTokens.hash(ApiTokens.generate()))).isEmpty();
		assertThat(this.keys.findFirstById(key.id())).hasValueSatisfying(found -> {
			assertThat(found.companyId()).isEqualTo(company);
			assertThat(found.createdAt()).isEqualTo(NOW);
		});
	}

	@Test
	void aRevokedKeyFindsNoCaller() {
		UUID company = new Rows(this.jdbc).company();
		String token = ApiTokens.generate();
		ApiKey key = this.keys.save(new ApiKey(company, "k", "jrn_", ApiTokens.hash(token), NOW));
		String live = ApiTokens.generate();
		this.keys.save(new ApiKey(company, "live", "jrn_", ApiTokens.hash(live), NOW));

		key.revoke(NOW.plusSeconds(1));
		this.keys.save(key);

		assertThat(this.keys.findCaller(ApiTokens.hash(token))).isEmpty();
		assertThat(this.keys.findCaller(ApiTokens.hash(live))).isPresent();
		assertThat(this.keys.findFirstById(key.id()).orElseThrow().revokedAt()).isEqualTo(NOW.plusSeconds(1));
	}

	@Configuration(proxyBeanMethods = false)
	@AutoConfigurationPackage
	static class Repository {

	}

}
