package io.journeys.persistence;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** The key of every company-owned row, so that rows can be distributed by company. */
public class TenantKey implements Serializable {

	private @Nullable UUID companyId;

	private @Nullable UUID id;

	protected TenantKey() {
	}

	public TenantKey(UUID companyId, UUID id) {
		this.companyId = companyId;
		this.id = id;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof TenantKey key && Objects.equals(this.companyId, key.companyId)
				&& Objects.equals(this.id, key.id);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.companyId, this.id);
	}

}
