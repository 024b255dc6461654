package io.journeys.contact;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;

/** The email address is stored normalized and never changes. */
@Entity
@Table(name = "contacts")
@IdClass(TenantKey.class)
class Contact {

	@Id
	private UUID companyId;

	@Id
	private UUID id;

	private String emailAddress;

	private @Nullable String firstName;

	private @Nullable String lastName;

	private ContactStatus status;

	private Instant createdAt;

	private Instant updatedAt;

	protected Contact() {
	}

	Contact(UUID companyId, String emailAddress, @Nullable String firstName, @Nullable String lastName,
			ContactStatus status, Instant now) {
		this.companyId = companyId;
		this.id = UUID.randomUUID();
		this.emailAddress = emailAddress;
		this.firstName = firstName;
		this.lastName = lastName;
		this.status = status;
		this.createdAt = now;
		this.updatedAt = now;
	}

	void apply(ContactChanges changes, Instant now) {
		if (changes.firstName() != null) {
			this.firstName = changes.firstName().orElse(null);
		}
		if (changes.lastName() != null) {
			this.lastName = changes.lastName().orElse(null);
		}
		if (changes.status() != null) {
			this.status = changes.status();
		}
		this.updatedAt = now;
	}

	UUID id() {
		return this.id;
	}

	ContactView view() {
		return new ContactView("contact", this.id, this.emailAddress, this.firstName, this.lastName,
				this.status.value(), this.createdAt, this.updatedAt);
	}

}
