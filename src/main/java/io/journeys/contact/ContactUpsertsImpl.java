package io.journeys.contact;

import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.ValuesList;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Set statements whatever the number of contacts. */
class ContactUpsertsImpl implements ContactUpserts {

	private final JdbcClient jdbc;

	private final DatabaseEngine engine;

	ContactUpsertsImpl(JdbcClient jdbc, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.engine = engine;
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

	/** The sent rows, numbered from 1 in the order sent. */
	private static final String INPUT = """
			input as (
			    select * from unnest(cast(:emails as text[]), cast(:firsts as text[]),
			                         cast(:lasts as text[]), cast(:statuses as text[]),
			                         cast(:attributes as text[]), cast(:removed as text[]), cast(:zones as text[]))
			           with ordinality as t(email, first_name, last_name, status, attributes, removed, time_zone, position)
			)
			""";

	/**
	 * The company's contacts with a sent email, changed as sent; it returns their emails.
	 * Absent fields keep what is stored. {@code attributes} merge at the top level: the
	 * keys sent with a value replace theirs ({@code ||}), those sent as {@code null} go
	 * ({@code removed}, a JSON array of keys), the others stay.
	 */
	private static final String UPDATE_FROM_INPUT = """
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

	private static final String UPSERT = "with " + INPUT + ",\nupdated as (\n" + UPDATE_FROM_INPUT
			+ """
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
	private static final String UPDATE = "with " + INPUT + UPDATE_FROM_INPUT;

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
