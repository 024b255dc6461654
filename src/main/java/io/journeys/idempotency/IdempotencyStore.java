package io.journeys.idempotency;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.journeys.persistence.SecretSealer;
import io.journeys.persistence.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** In autocommit: a claim must be visible to a concurrent retry at once. */
@Repository
class IdempotencyStore {

	record Stored(byte[] requestHash, boolean done, int status, byte[] body) {
	}

	private final JdbcClient jdbc;

	private final SecretSealer sealer;

	IdempotencyStore(JdbcClient jdbc, SecretSealer sealer) {
		this.jdbc = jdbc;
		this.sealer = sealer;
	}

	/** Free, expired, or held since before {@code staleBefore} (a request that died). */
	boolean claim(UUID companyId, String key, byte[] requestHash, Instant now, Instant expiresAt, Instant staleBefore) {
		return this.jdbc.sql("""
				insert into idempotency_keys (company_id, key, request_hash, state, created_at, expires_at)
				values (:company, :key, :hash, 'running', :now, :expires)
				on conflict (company_id, key) do update
				set request_hash = excluded.request_hash, state = 'running', response_status = null,
				    response_body = null, created_at = excluded.created_at, expires_at = excluded.expires_at
				where idempotency_keys.expires_at <= :now
				   or (idempotency_keys.state = 'running' and idempotency_keys.created_at < :stale)
				returning 1
				""")
			.param("company", companyId)
			.param("key", key)
			.param("hash", requestHash)
			.param("now", SqlTimes.bind(now))
			.param("expires", SqlTimes.bind(expiresAt))
			.param("stale", SqlTimes.bind(staleBefore))
			.query(Integer.class)
			.optional()
			.isPresent();
	}

	Optional<Stored> find(UUID companyId, String key) {
		return this.jdbc.sql("""
				select request_hash, state, response_status, response_body from idempotency_keys
				where company_id = :company and key = :key
				""")
			.param("company", companyId)
			.param("key", key)
			.query((rs, row) -> new Stored(rs.getBytes("request_hash"), "done".equals(rs.getString("state")),
					rs.getInt("response_status"),
					rs.getBytes("response_body") == null ? new byte[0]
							: this.sealer.open(rs.getBytes("response_body"))))
			.optional();
	}

	/** Sealed: an answer may show a secret once (a journey's webhook signing secret). */
	void complete(UUID companyId, String key, int status, byte[] body) {
		this.jdbc.sql("""
				update idempotency_keys set state = 'done', response_status = :status, response_body = :body
				where company_id = :company and key = :key
				""")
			.param("company", companyId)
			.param("key", key)
			.param("status", status)
			.param("body", this.sealer.seal(body))
			.update();
	}

	void release(UUID companyId, String key) {
		this.jdbc.sql("delete from idempotency_keys where company_id = :company and key = :key and state = 'running'")
			.param("company", companyId)
			.param("key", key)
			.update();
	}

	int purgeExpired(Instant now) {
		return this.jdbc.sql("delete from idempotency_keys where expires_at <= :now")
			.param("now", SqlTimes.bind(now))
			.update();
	}

}
