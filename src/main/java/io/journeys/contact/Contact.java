package io.journeys.contact;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.persistence.TenantKey;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
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

	/** Compact JSON as written; as {@code jsonb} prints it once read. */
	@JdbcTypeCode(SqlTypes.JSON)
	private String attributes;

	/** An IANA region id. */
	private @Nullable String timeZone;

	private Instant createdAt;

	private Instant updatedAt;

	protected Contact() {
	}

	Contact(UUID companyId, String emailAddress, @Nullable String firstName, @Nullable String lastName,
			ContactStatus status, String attributes, @Nullable ZoneId timeZone, Instant now) {
		this.companyId = companyId;
		this.id = UUID.randomUUID();
		this.emailAddress = emailAddress;
		this.firstName = firstName;
		this.lastName = lastName;
		this.status = status;
		this.attributes = attributes;
		this.timeZone = timeZone == null ? null : timeZone.getId();
		this.createdAt = now;
		this.updatedAt = now;
	}

	/**
	 * {@code attributes}: the merged object, checked; {@code timeZone}: {@code null} when
	 * not sent, empty to clear it.
	 */
	void apply(ContactChanges changes, @Nullable String attributes, @Nullable Optional<ZoneId> timeZone, Instant now) {
		if (changes.firstName() != null) {
			this.firstName = changes.firstName().orElse(null);
		}
		if (changes.lastName() != null) {
			this.lastName = changes.lastName().orElse(null);
		}
		if (changes.status() != null) {
			this.status = changes.status();
		}
		if (attributes != null) {
			this.attributes = attributes;
		}
		if (timeZone != null) {
			this.timeZone = timeZone.map(ZoneId::getId).orElse(null);
		}
		this.updatedAt = now;
	}

	UUID id() {
		return this.id;
	}

	String emailAddress() {
		return this.emailAddress;
	}

	@Nullable String timeZone() {
		return this.timeZone;
	}

	String attributes() {
		return this.attributes;
	}

	ContactView view() {
		return view(this.attributes);
	}

	/** With {@code attributes} as {@code jsonb} gives them back once written. */
	ContactView view(String storedAttributes) {
		return new ContactView("contact", this.id, this.emailAddress, this.firstName, this.lastName,
				this.status.value(), storedAttributes, this.timeZone, this.createdAt, this.updatedAt);
	}

}
