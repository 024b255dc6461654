package io.journeys.auth;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;

/** Only the SHA-256 hash of the token is kept. */
@Entity
@Table(name = "api_keys")
@IdClass(TenantKey.class)
class ApiKey {

	@Id
	private UUID companyId;

	@Id
	private UUID id;

	private String name;

	private String tokenPrefix;

	@Column(columnDefinition = "bytea")
	private byte[] tokenHash;

	private Instant createdAt;

	private @Nullable Instant revokedAt;

	protected ApiKey() {
	}

	ApiKey(UUID companyId, String name, String tokenPrefix, byte[] tokenHash, Instant createdAt) {
		this.companyId = companyId;
		this.id = UUID.randomUUID();
		this.name = name;
		this.tokenPrefix = tokenPrefix;
		this.tokenHash = tokenHash.clone();
		this.createdAt = createdAt;
	}

	/** Revoking again keeps the first time. */
	void revoke(Instant at) {
		if (this.revokedAt == null) {
			this.revokedAt = at;
		}
	}

	UUID companyId() {
		return this.companyId;
	}

	UUID id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	@Nullable Instant revokedAt() {
		return this.revokedAt;
	}

}
