package io.journeys.support;

import java.sql.Types;
import java.time.Instant;
import java.util.UUID;

import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows written straight into the tables, for repository tests to set up what a statement
 * reads without going through the code under test.
 */
public final class Rows {

	private final JdbcClient jdbc;

	public Rows(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A new company. */
	public UUID company() {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("insert into companies (id, name, created_at) values (:id, 'Test', now())")
			.param("id", id)
			.update();
		return id;
	}

	public UUID contact(UUID company, String email) {
		return contact(company, UUID.randomUUID(), email);
	}

	/** A contact with a given id: ids are unique per company only. */
	public UUID contact(UUID company, UUID id, String email) {
		this.jdbc.sql("""
				insert into contacts (company_id, id, email_address, status, created_at, updated_at)
				values (:company, :id, :email, 'active', now(), now())
				""").param("company", company).param("id", id).param("email", email).update();
		return id;
	}

	/** A journey in {@code state}, with {@code steps} as JSON (or none). */
	public UUID journey(UUID company, String state, @Nullable String steps) {
		return journey(company, UUID.randomUUID(), state, steps);
	}

	/**
	 * A journey with a given id: ids are unique per company only, so a test can give two
	 * companies the same one.
	 */
	public UUID journey(UUID company, UUID id, String state, @Nullable String steps) {
		this.jdbc.sql("""
				insert into journeys (company_id, id, name, state, created_at, updated_at, steps)
				values (:company, :id, 'Journey', :state, now(), now(), :steps)
				""")
			.param("company", company)
			.param("id", id)
			.param("state", state)
			.param("steps", steps, Types.VARCHAR)
			.update();
		return id;
	}

	/** An active enrollment at {@code step} (null: not started), due at {@code due}. */
	public UUID enrollment(UUID company, UUID journey, UUID contact, @Nullable String step, @Nullable Instant due) {
		return enrollment(company, UUID.randomUUID(), journey, contact, step, due);
	}

	public UUID enrollment(UUID company, UUID id, UUID journey, UUID contact, @Nullable String step,
			@Nullable Instant due) {
		this.jdbc
			.sql("""
					insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at, step_id, due_at)
					values (:company, :id, :journey, :contact, 'active', 'contact', now(), :step, :due)
					""")
			.param("company", company)
			.param("id", id)
			.param("journey", journey)
			.param("contact", contact)
			.param("step", step, Types.VARCHAR)
			.param("due", SqlTimes.bind(due), Types.TIMESTAMP_WITH_TIMEZONE)
			.update();
		return id;
	}

}
