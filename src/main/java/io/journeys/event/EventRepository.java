package io.journeys.event;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.journeys.paging.PageQuery;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.ValuesList;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The events table: what a request stores and reads; every statement names one company.
 */
@Repository
class EventRepository {

	/**
	 * One row to store: {@code key} is the caller's id or ours; {@code pending} when a
	 * journey listens to its name, else it is not queued (it can have no effect).
	 */
	record Row(UUID id, String key, UUID contactId, String name, String properties, Instant occurredAt,
			boolean pending) {
	}

	record Contact(UUID id, String emailAddress) {
	}

	/**
	 * Shared, and taken in a statement of its own: a contact delete (exclusive) either
	 * commits before the contacts are read, which then do not find it, or waits until the
	 * events are in and deletes them with it. A lock taken inside the read would come
	 * after the read's snapshot, which could still see a contact deleted meanwhile.
	 */
	static final String HOLD_CONTACT_DELETES = """
			select pg_advisory_xact_lock_shared(hashtextextended('contact-deletes:' || cast(:company as text), 0))
			""";

	private static final String CONTACTS = """
			select c.id, c.email_address
			from contacts c
			where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			""";

	/** Rows come in key order, the same in every request: two batches cannot deadlock. */
	private static final String INSERT = """
			insert into events (company_id, id, key, contact_id, name, properties, occurred_at, received_at)
			select :company, e.id, e.key, e.contact_id, e.name, e.properties, e.occurred_at, :now
			from unnest(cast(:ids as uuid[]), cast(:keys as text[]), cast(:contacts as uuid[]), cast(:names as text[]),
			            cast(:properties as text[]), cast(:occurred as timestamptz[]))
			     as e(id, key, contact_id, name, properties, occurred_at)
			order by e.key
			on conflict (company_id, key) do nothing
			returning id
			""";

	private static final String INSERT_ROWS = """
			insert into events (company_id, id, key, contact_id, name, properties, occurred_at, received_at)
			values
			""";

	private static final String INSERT_ROW = "(:company, :id#, :key#, :contact#, :name#, :properties#, "
			+ "cast(:occurred# as timestamptz), :now)";

	private static final String ON_CONFLICT = "\non conflict (company_id, key) do nothing returning id";

	/** From the rows just stored, on their shard. */
	private static final String QUEUE = """
			insert into event_queue (company_id, contact_id, occurred_at, event_id)
			select e.company_id, e.contact_id, e.occurred_at, e.id
			from events e
			join unnest(cast(:contacts as uuid[]), cast(:occurred as timestamptz[]), cast(:ids as uuid[]))
			     as q(contact_id, occurred_at, id)
			     on e.contact_id = q.contact_id and e.occurred_at = q.occurred_at and e.id = q.id
			where e.company_id = :company
			""";

	/** The names some journey that can still act on an event listens to. */
	private static final String LISTENED = """
			select distinct l.event_name
			from journeys j, unnest(j.listens_to) as l(event_name)
			where j.company_id = :company and j.state <> 'archived'
			""";

	private final JdbcClient jdbc;

	private final boolean routed;

	EventRepository(JdbcClient jdbc, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.routed = engine.routedStatements();
	}

	List<Contact> lockContacts(UUID companyId, List<String> emails) {
		this.jdbc.sql(HOLD_CONTACT_DELETES).param("company", companyId).query((rs, row) -> 1).list();
		return this.jdbc.sql(CONTACTS)
			.param("company", companyId)
			.param("emails", emails.toArray(String[]::new))
			.query((rs, row) -> new Contact(rs.getObject("id", UUID.class), rs.getString("email_address")))
			.list();
	}

	/**
	 * Read in the transaction that stores the events: a journey that starts listening
	 * after it sees none of them, as if they had been applied before its change.
	 */
	Set<String> listenedNames(UUID companyId) {
		return new HashSet<>(this.jdbc.sql(LISTENED).param("company", companyId).query(String.class).list());
	}

	/**
	 * The rows stored, those a journey listens to queued for their effects: a key already
	 * taken is a duplicate. Rows sorted by key.
	 */
	int insert(UUID companyId, List<Row> rows, Instant now) {
		if (rows.isEmpty()) {
			return 0;
		}
		Set<UUID> stored = new HashSet<>(store(companyId, rows, now));
		List<Row> queued = rows.stream().filter(row -> row.pending() && stored.contains(row.id())).toList();
		if (!queued.isEmpty()) {
			this.jdbc.sql(QUEUE)
				.param("company", companyId)
				.param("contacts", queued.stream().map(Row::contactId).toArray(UUID[]::new))
				.param("occurred", queued.stream().map(row -> row.occurredAt().toString()).toArray(String[]::new))
				.param("ids", queued.stream().map(Row::id).toArray(UUID[]::new))
				.update();
		}
		return stored.size();
	}

	private List<UUID> store(UUID companyId, List<Row> rows, Instant now) {
		if (this.routed) {
			// VALUES rows, which Citus routes whole to the company's shard
			Map<String, Object> params = new HashMap<>();
			for (int i = 0; i < rows.size(); i++) {
				Row row = rows.get(i);
				params.put("id" + i, row.id());
				params.put("key" + i, row.key());
				params.put("contact" + i, row.contactId());
				params.put("name" + i, row.name());
				params.put("properties" + i, row.properties());
				params.put("occurred" + i, SqlTimes.bind(row.occurredAt()));
			}
			return this.jdbc.sql(ValuesList.of(INSERT_ROWS, rows.size(), INSERT_ROW) + ON_CONFLICT)
				.params(params)
				.param("company", companyId)
				.param("now", SqlTimes.bind(now))
				.query(UUID.class)
				.list();
		}
		return this.jdbc.sql(INSERT)
			.param("company", companyId)
			.param("ids", rows.stream().map(Row::id).toArray(UUID[]::new))
			.param("keys", rows.stream().map(Row::key).toArray(String[]::new))
			.param("contacts", rows.stream().map(Row::contactId).toArray(UUID[]::new))
			.param("names", rows.stream().map(Row::name).toArray(String[]::new))
			.param("properties", rows.stream().map(Row::properties).toArray(String[]::new))
			.param("occurred", rows.stream().map(row -> row.occurredAt().toString()).toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.query(UUID.class)
			.list();
	}

	/** Newest first. */
	List<EventView> page(UUID companyId, UUID contactId, PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select id, key, name, contact_id, properties, occurred_at, received_at
				from events
				where company_id = :company and contact_id = :contact
				  and (cast(:afterAt as timestamptz) is null or (occurred_at, id) < (:afterAt, :afterId))
				order by occurred_at desc, id desc
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("contact", contactId)
			.param("limit", query.fetchSize())
			.query((rs, row) -> new EventView(EventView.OBJECT, rs.getString("key"), rs.getString("name"),
					rs.getObject("contact_id", UUID.class), rs.getString("properties"),
					SqlTimes.read(rs, "occurred_at"), SqlTimes.read(rs, "received_at"), rs.getObject("id", UUID.class)))
			.list();
	}

	boolean contactExists(UUID companyId, UUID contactId) {
		return this.jdbc.sql("select exists (select 1 from contacts where company_id = :company and id = :contact)")
			.param("company", companyId)
			.param("contact", contactId)
			.query(Boolean.class)
			.single();
	}

}
