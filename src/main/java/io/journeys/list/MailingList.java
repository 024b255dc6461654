package io.journeys.list;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.persistence.TenantKey;

/** Its email address is not unique within a company. */
@Entity
@Table(name = "lists")
@IdClass(TenantKey.class)
class MailingList {

	@Id
	private UUID companyId;

	@Id
	private UUID id;

	private String name;

	private String emailAddress;

	private Instant createdAt;

	private Instant updatedAt;

	protected MailingList() {
	}

	MailingList(UUID companyId, String name, String emailAddress, Instant now) {
		this.companyId = companyId;
		this.id = UUID.randomUUID();
		this.name = name;
		this.emailAddress = emailAddress;
		this.createdAt = now;
		this.updatedAt = now;
	}

	void change(String name, String emailAddress, Instant now) {
		this.name = name;
		this.emailAddress = emailAddress;
		this.updatedAt = now;
	}

	UUID id() {
		return this.id;
	}

	String name() {
		return this.name;
	}

	String emailAddress() {
		return this.emailAddress;
	}

	ListView view(long membershipsCount) {
		return new ListView("list", this.id, this.name, this.emailAddress, membershipsCount, this.createdAt,
				this.updatedAt);
	}

}
