package io.journeys.list;

import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * A contact's membership in a list. Memberships are written set-based in SQL (see
 * {@link ListRepository}); the entity maps the table for reads and schema validation.
 */
@Entity
@Table(name = "list_members")
@IdClass(ListMembership.Key.class)
class ListMembership {

	@Id
	private UUID companyId;

	@Id
	private UUID listId;

	@Id
	private UUID contactId;

	private Instant addedAt;

	protected ListMembership() {
	}

	record Key(UUID companyId, UUID listId, UUID contactId) implements Serializable {
	}

}
