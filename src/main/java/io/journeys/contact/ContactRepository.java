package io.journeys.contact;

import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.journeys.paging.PageQuery;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.ValuesList;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

interface ContactRepository extends JpaRepository<Contact, TenantKey>, ContactQueries {

	Optional<Contact> findByCompanyIdAndId(UUID companyId, UUID id);

	/** Locked: a {@code PATCH} or {@code DELETE} racing a delete answers 404. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select c from Contact c where c.companyId = :companyId and c.id = :id")
	Optional<Contact> findForUpdate(UUID companyId, UUID id);

	boolean existsByCompanyIdAndEmailAddress(UUID companyId, String emailAddress);

}

interface ContactQueries {

	List<ContactView> page(UUID companyId, @Nullable String email, @Nullable ContactStatus status, PageQuery query);

	/** So "email taken" checks within a company cannot race. */
	void lockEmails(UUID companyId);

	/** Its enrollments with their timelines, its events and those still queued. */
	void deleteWhatItOwns(UUID companyId, UUID contactId);

	BulkResult upsert(UUID companyId, List<ContactUpsert> contacts, Instant now);

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

	private final DatabaseEngine engine;

	ContactQueriesImpl(JdbcClient jdbc, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.engine = engine;
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
	private static final String DELETE_ENROLLMENTS = """
			delete from enrollments e
			where e.company_id = :company and e.contact_id = :contact
			  and e.journey_id = any(array(select j.id from journeys j where j.company_id = :company))
			  and (e.status = 'active' or e.status <> 'active')
			returning e.id
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
		UUID[] deleted = this.jdbc.sql(DELETE_ENROLLMENTS)
			.param("company", companyId)
			.param("contact", contactId)
			.query((rs, row) -> rs.getObject("id", UUID.class))
			.list()
			.toArray(UUID[]::new);
		if (deleted.length > 0) {
			this.jdbc.sql(DELETE_EVENTS).param("company", companyId).param("enrollments", deleted).update();
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

	/** Citus routes no insert fed by {@code unnest}: multi-row {@code VALUES}. */
	@Override
	public BulkResult upsert(UUID companyId, List<ContactUpsert> contacts, Instant now) {
		int size = contacts.size();
		String[] emails = new String[size];
		String[] firstNames = new String[size];
		String[] lastNames = new String[size];
		String[] statuses = new String[size];
		String[] attributes = new String[size];
		String[] removed = new String[size];
		String[] zones = new String[size];
		for (int i = 0; i < size; i++) {
			ContactUpsert upsert = contacts.get(i);
			NewContact contact = upsert.contact();
			emails[i] = contact.emailAddress();
			firstNames[i] = contact.firstName();
			lastNames[i] = contact.lastName();
			statuses[i] = contact.status() == null ? null : contact.status().value();
			attributes[i] = upsert.attributes() == null ? null : upsert.attributes().set();
			removed[i] = upsert.attributes() == null ? null : upsert.attributes().removedJson();
			zones[i] = upsert.timeZone() == null ? null : upsert.timeZone().getId();
		}
		Map<String, Object> batch = Map.of("company", companyId, "now", SqlTimes.bind(now), "emails", emails, "firsts",
				firstNames, "lasts", lastNames, "statuses", statuses, "attributes", attributes, "removed", removed,
				"zones", zones);
		if (this.engine.routedStatements()) {
			return upsertAsRows(companyId, contacts, now, batch);
		}
		return IdBlock.at(now)
			.bind(this.jdbc.sql(UPSERT))
			.params(batch)
			.query((rs, row) -> new BulkResult(rs.getInt("created"), rs.getInt("updated")))
			.single();
	}

	/**
	 * Absent fields keep what is stored. {@code attributes} merge at the top level: the
	 * keys sent with a value replace theirs ({@code ||}), those sent as {@code null} go
	 * ({@code removed}, a JSON array of keys), the others stay.
	 */
	private static final String UPSERT = """
			with input as (
			    select * from unnest(cast(:emails as text[]), cast(:firsts as text[]),
			                         cast(:lasts as text[]), cast(:statuses as text[]),
			                         cast(:attributes as text[]), cast(:removed as text[]), cast(:zones as text[]))
			           with ordinality as t(email, first_name, last_name, status, attributes, removed, time_zone, position)
			),
			updated as (
			    update contacts c
			    set first_name = coalesce(i.first_name, c.first_name),
			        last_name = coalesce(i.last_name, c.last_name),
			        status = coalesce(i.status, c.status),
			        attributes = case when i.attributes is null then c.attributes
			                          else (c.attributes || cast(i.attributes as jsonb))
			                               - array(select jsonb_array_elements_text(cast(i.removed as jsonb))) end,
			        time_zone = coalesce(i.time_zone, c.time_zone),
			        updated_at = :now
			    from input i
			    where c.company_id = :company and c.email_address = i.email
			    returning c.email_address
			),
			created as (
			    insert into contacts (company_id, id, email_address, first_name, last_name, status, attributes, time_zone,
			                          created_at, updated_at)
			    select :company, cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + i.position) as uuid),
			           i.email, i.first_name, i.last_name, coalesce(i.status, 'active'),
			           coalesce(cast(i.attributes as jsonb), '{}'), i.time_zone, :now, :now
			    from input i
			    where not exists (select 1 from updated u where u.email_address = i.email)
			    returning 1
			)
			select (select count(*) from created) as created, (select count(*) from updated) as updated
			""";

	/** On Citus, the update of {@link #UPSERT} alone. */
	private static final String UPDATE = """
			with input as (
			    select * from unnest(cast(:emails as text[]), cast(:firsts as text[]),
			                         cast(:lasts as text[]), cast(:statuses as text[]),
			                         cast(:attributes as text[]), cast(:removed as text[]), cast(:zones as text[]))
			           with ordinality as t(email, first_name, last_name, status, attributes, removed, time_zone, position)
			)
			update contacts c
			set first_name = coalesce(i.first_name, c.first_name),
			    last_name = coalesce(i.last_name, c.last_name),
			    status = coalesce(i.status, c.status),
			    attributes = case when i.attributes is null then c.attributes
			                      else (c.attributes || cast(i.attributes as jsonb))
			                           - array(select jsonb_array_elements_text(cast(i.removed as jsonb))) end,
			    time_zone = coalesce(i.time_zone, c.time_zone),
			    updated_at = :now
			from input i
			where c.company_id = :company and c.email_address = i.email
			returning c.email_address
			""";

	private static final String INSERT = """
			insert into contacts (company_id, id, email_address, first_name, last_name, status, attributes, time_zone,
			                      created_at, updated_at)
			values
			""";

	private static final String INSERT_ROW = """
			(:company, :id#, :email#, :first#, :last#, :status#, cast(:attributes# as jsonb), :zone#, :now, :now)""";

	/** 7 parameters a row, well under PostgreSQL's 65,535. */
	private static final int ROWS_PER_INSERT = 1000;

	private BulkResult upsertAsRows(UUID companyId, List<ContactUpsert> contacts, Instant now,
			Map<String, Object> batch) {
		Set<String> updated = new HashSet<>(this.jdbc.sql(UPDATE).params(batch).query(String.class).list());
		List<ContactUpsert> created = contacts.stream()
			.filter(contact -> !updated.contains(contact.emailAddress()))
			.toList();
		IdBlock ids = IdBlock.at(now);
		for (int from = 0; from < created.size(); from += ROWS_PER_INSERT) {
			List<ContactUpsert> rows = created.subList(from, Math.min(created.size(), from + ROWS_PER_INSERT));
			Map<String, Object> params = new HashMap<>();
			for (int i = 0; i < rows.size(); i++) {
				ContactUpsert upsert = rows.get(i);
				NewContact contact = upsert.contact();
				params.put("id" + i, ids.id(from + i + 1L));
				params.put("email" + i, contact.emailAddress());
				params.put("first" + i, new SqlParameterValue(Types.VARCHAR, contact.firstName()));
				params.put("last" + i, new SqlParameterValue(Types.VARCHAR, contact.lastName()));
				params.put("status" + i, contact.status() == null ? "active" : contact.status().value());
				params.put("attributes" + i, upsert.attributes() == null ? "{}" : upsert.attributes().set());
				params.put("zone" + i, new SqlParameterValue(Types.VARCHAR,
						upsert.timeZone() == null ? null : upsert.timeZone().getId()));
			}
			this.jdbc.sql(ValuesList.of(INSERT, rows.size(), INSERT_ROW))
				.params(params)
				.param("company", companyId)
				.param("now", SqlTimes.bind(now))
				.update();
		}
		return new BulkResult(created.size(), updated.size());
	}

}
