package io.journeys.journey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.condition.Facts.PastEvent;
import io.journeys.journey.Preview.PreviewContact;
import io.journeys.persistence.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a preview reads, and nothing it writes: the contact (with its attributes and time
 * zone, read here rather than through the contact feature, which does not show them yet)
 * and its past events. Every statement names the company, so it runs on one shard.
 */
@Repository
class PreviewRepository {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	PreviewRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** {@code email}: normalized. */
	Optional<PreviewContact> contact(UUID companyId, String email) {
		return this.jdbc.sql("""
				select id, email_address, first_name, last_name, status, cast(attributes as text) as attributes,
				       time_zone, created_at, updated_at
				from contacts
				where company_id = :company and email_address = :email
				""")
			.param("company", companyId)
			.param("email", email)
			.query((rs, row) -> new PreviewContact("contact", rs.getObject("id", UUID.class),
					rs.getString("email_address"), rs.getString("first_name"), rs.getString("last_name"),
					rs.getString("status"), this.json.readTree(rs.getString("attributes")), rs.getString("time_zone"),
					SqlTimes.read(rs, "created_at"), SqlTimes.read(rs, "updated_at")))
			.optional();
	}

	/**
	 * The contact's events of one name that occurred in {@code [from, to]}, oldest first:
	 * what a condition's {@code {"event", "within"}} and a goal read.
	 */
	List<PastEvent> events(UUID companyId, UUID contactId, String name, Instant from, Instant to) {
		return this.jdbc.sql("""
				select name, occurred_at, properties from events
				where company_id = :company and contact_id = :contact and name = :name
				  and occurred_at between :from and :to
				order by occurred_at, id
				""")
			.param("company", companyId)
			.param("contact", contactId)
			.param("name", name)
			.param("from", SqlTimes.bind(from))
			.param("to", SqlTimes.bind(to))
			.query((rs, row) -> new PastEvent(rs.getString("name"), SqlTimes.read(rs, "occurred_at"),
					this.json.readTree(rs.getString("properties"))))
			.list();
	}

}
