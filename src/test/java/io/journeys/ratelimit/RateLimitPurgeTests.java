package io.journeys.ratelimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import io.journeys.support.ApiTests;
import io.journeys.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Buckets whose expiry has passed are deleted; the others stay.
 */
class RateLimitPurgeTests extends ApiTests {

	@Autowired
	RateLimitConfiguration.BucketPurge purge;

	@Test
	void expiredBucketsAreDeletedAndLiveOnesKept() throws Exception {
		UUID company = UUID.fromString(newTenant().companyId());
		String expired = "purge-test:" + UUID.randomUUID();
		String live = "purge-test:" + UUID.randomUUID();
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement insert = connection.prepareStatement(
						"insert into rate_limit_buckets (company_id, id, state, expires_at) values (?, ?, ?, ?)")) {
			insert.setObject(1, company);
			insert.setString(2, expired);
			insert.setBytes(3, new byte[] { 1 });
			insert.setLong(4, System.currentTimeMillis() - 60_000);
			insert.executeUpdate();
			insert.setString(2, live);
			insert.setLong(4, System.currentTimeMillis() + 3_600_000);
			insert.executeUpdate();
		}
		assertThat(this.purge.purge()).isPositive();
		assertThat(exists(expired)).isFalse();
		assertThat(exists(live)).isTrue();
	}

	private static boolean exists(String id) throws Exception {
		try (Connection connection = TestDatabase.get().connect();
				PreparedStatement select = connection
					.prepareStatement("select 1 from rate_limit_buckets where id = ?")) {
			select.setString(1, id);
			try (ResultSet rows = select.executeQuery()) {
				return rows.next();
			}
		}
	}

}
