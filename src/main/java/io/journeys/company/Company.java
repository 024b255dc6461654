package io.journeys.company;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "companies")
class Company {

	@Id
	private UUID id;

	private String name;

	private Instant createdAt;

	protected Company() {
	}

	Company(String name, Instant createdAt) {
		this.id = UUID.randomUUID();
		this.name = name;
		this.createdAt = createdAt;
	}

	CompanyView view() {
		return new CompanyView("company", this.id, this.name, this.createdAt);
	}

}
