package io.journeys.contact;

import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.jdbc.core.simple.JdbcClient;

interface ContactRepository extends JpaRepository<Contact, TenantKey>, ContactQueries, ContactUpserts {

	Optional<Contact> findByCompanyIdAndId(UUID companyId, UUID id);

	/** Locked: a {@code PATCH} or {@code DELETE} racing a delete answers 404. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select c from Contact c where c.companyId = :companyId and c.id = :id")
	Optional<Contact> findForUpdate(UUID companyId, UUID id);

	boolean existsByCompanyIdAndEmailAddress(UUID companyId, String emailAddress);

}

/** The bulk upsert of {@code POST /v1/contacts/bulk}. */
interface ContactUpserts {

	BulkResult upsert(UUID companyId, List<ContactUpsert> contacts, Instant now);

}

interface ContactQueries {

	List<ContactView> page(UUID companyId, @Nullable String email, @Nullable ContactStatus status, PageQuery query);

	/** So "email taken" checks within a company cannot race. */
	void lockEmails(UUID companyId);

	/** Its enrollments with their timelines, its events and those still queued. */
	void deleteWhatItOwns(UUID companyId, UUID contactId);

	/**
	 * As {@code jsonb} has them: its key order, its numbers ({@code -0.0} is
	 * {@code 0.0}), so that what is answered is what is read later.
	 */
	String storedAttributes(UUID companyId, UUID id);

	/** The stored attributes of those of these contacts that exist, by email. */
	Map<String, String> attributesByEmail(UUID companyId, List<String> emails);

	/** Of the contacts named, those whose stored time zone differs from the one given. */
	List<String> rezoned(UUID companyId, Map<String, String> zones);

}

class ContactQueriesImpl implements ContactQueries {

	/**
	 * Exclusive: every enrollment insert holds it shared until it commits, so none can
	 * add a row for a contact being deleted, and no foreign key is needed.
	 */
	private static final String HOLD_CONTACT_DELETES = """
			select 1
			from contacts c,
			     pg_advisory_xact_lock(hashtextextended('contact-deletes:' || cast(:company as text), 0)) as deletes
			where c.company_id = :company and c.id = :contact
			""";

	private final JdbcClient jdbc;

	private final EnteredBlocks entered;

	ContactQueriesImpl(JdbcClient jdbc, EnteredBlocks entered) {
		this.jdbc = jdbc;
		this.entered = entered;
	}

	@Override
	public List<ContactView> page(UUID companyId, @Nullable String email, @Nullable ContactStatus status,
			PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select c.id, c.email_address, c.first_name, c.last_name, c.status, c.attributes, c.time_zone,
				       c.created_at, c.updated_at
				from contacts c
				where c.company_id = :company
				  and (cast(:email as text) is null or c.email_address = :email)
				  and (cast(:status as text) is null or c.status = :status)
				  and (cast(:afterAt as timestamptz) is null or (c.created_at, c.id) > (:afterAt, :afterId))
				order by c.created_at, c.id
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("email", email, Types.VARCHAR)
			.param("status", status == null ? null : status.value(), Types.VARCHAR)
			.param("limit", query.fetchSize())
			.query(ContactView::fromRow)
			.list();
	}

	@Override
	public void lockEmails(UUID companyId) {
		this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended('contacts:' || :company, 0))")
			.param("company", companyId.toString())
			.query((rs, row) -> 1)
			.single();
	}

	/**
	 * Per journey, as no index is by contact alone; the {@code or} lets each arm use its
	 * partial index ({@code enrollments_one_active}, {@code enrollments_ended}).
	 */
	private static final String ENROLLMENTS_OF_CONTACT = """
			select e.id from enrollments e
			where e.company_id = :company and e.contact_id = :contact
			  and e.journey_id = any(array(select j.id from journeys j where j.company_id = :company))
			  and (e.status = 'active' or e.status <> 'active')
			""";

	private static final String DELETE_ENROLLMENTS = """
			delete from enrollments
			where company_id = :company and id = any(cast(:enrollments as uuid[]))
			""";

	private static final String DELETE_EVENTS = """
			delete from enrollment_events
			where company_id = :company and enrollment_id = any(cast(:enrollments as uuid[]))
			""";

	@Override
	public void deleteWhatItOwns(UUID companyId, UUID contactId) {
		this.jdbc.sql(HOLD_CONTACT_DELETES)
			.param("company", companyId)
			.param("contact", contactId)
			.query((rs, row) -> 1)
			.list();
		// found once: no enrollment of it can be added while the lock is held
		List<UUID> enrollments = this.jdbc.sql(ENROLLMENTS_OF_CONTACT)
			.param("company", companyId)
			.param("contact", contactId)
			.query(UUID.class)
			.list();
		if (!enrollments.isEmpty()) {
			// its enrollment.entered events an enroll wrote as blocks need its
			// enrollments
			this.entered.enteredOfDeleted(companyId, enrollments);
			UUID[] ids = enrollments.toArray(UUID[]::new);
			this.jdbc.sql(DELETE_ENROLLMENTS).param("company", companyId).param("enrollments", ids).update();
			this.jdbc.sql(DELETE_EVENTS).param("company", companyId).param("enrollments", ids).update();
		}
		// its events, and those still queued for their effects
		this.jdbc.sql("delete from event_queue where company_id = :company and contact_id = :contact")
			.param("company", companyId)
			.param("contact", contactId)
			.update();
		this.jdbc.sql("delete from events where company_id = :company and contact_id = :contact")
			.param("company", companyId)
			.param("contact", contactId)
			.update();
	}

	@Override
	public String storedAttributes(UUID companyId, UUID id) {
		return this.jdbc.sql("select c.attributes from contacts c where c.company_id = :company and c.id = :id")
			.param("company", companyId)
			.param("id", id)
			.query(String.class)
			.single();
	}

	@Override
	public Map<String, String> attributesByEmail(UUID companyId, List<String> emails) {
		Map<String, String> stored = new HashMap<>();
		this.jdbc.sql("""
				select c.email_address, c.attributes from contacts c
				where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
				""")
			.param("company", companyId)
			.param("emails", emails.toArray(String[]::new))
			.query((rs, row) -> stored.put(rs.getString("email_address"), rs.getString("attributes")))
			.list();
		return stored;
	}

	@Override
	public List<String> rezoned(UUID companyId, Map<String, String> zones) {
		List<String> emails = List.copyOf(zones.keySet());
		return this.jdbc.sql("""
				select c.email_address from contacts c
				join unnest(cast(:emails as text[]), cast(:zones as text[])) as sent(email, zone)
				  on c.email_address = sent.email
				where c.company_id = :company and c.time_zone is distinct from sent.zone
				""")
			.param("company", companyId)
			.param("emails", emails.toArray(String[]::new))
			.param("zones", emails.stream().map(zones::get).toArray(String[]::new))
			.query(String.class)
			.list();
	}

}
