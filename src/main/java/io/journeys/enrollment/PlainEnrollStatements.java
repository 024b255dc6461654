package io.journeys.enrollment;

import java.sql.ResultSet;
import java.sql.Types;
import java.util.Objects;
import java.util.Optional;

import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.journeys.journey.JourneyState;
import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code ON CONFLICT} on the partial unique index of active enrollments also settles
 * races with concurrent requests; rows go in by contact id, the same order in every
 * request, so two requests waiting on each other's rows cannot deadlock. A contact that
 * lost a race is active now, so it is reported as already enrolled.
 */
class PlainEnrollStatements extends EnrollStatements {

	/**
	 * Planned for its parameters on every call: its sizes range from one contact to
	 * 100,000. Named by email wins over a list, else the first list in request order.
	 */
	static final String ENROLL = """
			with named as (
			    select c.id, c.email_address
			    from contacts c
			    where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			      and c.status = 'active'
			      and exists (select 1 from journeys j
			                  where j.company_id = :company and j.id = :journey and j.state = 'on')
			),
			candidates as (
			    select distinct on (id) company_id, id, email_address, list_id
			    from (
			        select c.company_id, c.id, c.email_address, null::uuid as list_id, 0::bigint as position
			        from contacts c
			        where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			          and c.status = 'active'
			        union all
			        select c.company_id, c.id, c.email_address, l.list_id, l.position
			        from unnest(cast(:lists as uuid[])) with ordinality as l(list_id, position)
			        join list_members m on m.company_id = :company and m.list_id = l.list_id
			        join contacts c on c.company_id = :company and c.id = m.contact_id and c.status = 'active'
			    ) as named_or_listed
			    order by id, position
			),
			inserted as (
			    insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id,
			                             api_key_id, request_id, enrolled_at, due_at)
			    select :company,
			           cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + row_number() over (order by k.id)) as uuid),
			           :journey, k.id, 'active', case when k.list_id is null then 'contact' else 'list' end, k.list_id,
			           :apiKey, :requestId, :now,
			           (select case when j.steps is not null then cast(:now as timestamptz) end
			            from journeys j where j.company_id = :company and j.id = :journey)
			    from candidates k
			    where not exists (select 1 from enrollments e
			                      where e.company_id = :company and e.journey_id = :journey
			                        and e.contact_id = k.id and e.status = 'completed' and e.completed_at > :cutoff)
			    order by k.id
			    on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			    returning id, contact_id
			),
			"""
			+ EnteredBlocks.ANNOUNCE_INSERTED + """
					select 'enrolled' as outcome, count(*) as contacts, null::text[] as emails
					from inserted
					union all
					select case when not exists (select 1 from enrollments e
					                             where e.company_id = :company and e.journey_id = :journey
					                               and e.contact_id = k.id and e.status = 'active')
					                 and exists (select 1 from enrollments e
					                             where e.company_id = :company and e.journey_id = :journey
					                               and e.contact_id = k.id and e.status = 'completed'
					                               and e.completed_at > :cutoff)
					            then 'recently_completed' else 'already_enrolled' end,
					       count(*), array_agg(k.email_address order by k.email_address collate "C")
					from candidates k
					where not exists (select 1 from inserted i where i.contact_id = k.id)
					group by 1
					union all
					select 'not_found', count(*), array_agg(x.email order by x.email collate "C")
					from unnest(cast(:emails as text[])) as x(email)
					where not exists (select 1 from named n where n.email_address = x.email)
					""";

	/**
	 * Both statements sent in autocommit with one {@code Sync}: one implicit transaction,
	 * one round trip. Each takes its own snapshot, so the enroll sees what the lock
	 * waited for, and checks the state itself. {@code OFFSET 0} keeps each per-candidate
	 * subquery an index probe, which the enroll pool's generic plan could otherwise turn
	 * into a hash over every enrollment of the journey.
	 */
	static final String LOCK_AND_ENROLL_NAMED = """
			select j.state
			from journeys j,
			     pg_advisory_xact_lock_shared(hashtextextended('contact-deletes:' || cast(:company as text), 0)) as deletes
			where j.company_id = :company and j.id = :journey
			for key share of j;
			with named as (
			    select c.id, c.email_address
			    from contacts c
			    where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			      and c.status = 'active'
			      and exists (select 1 from journeys j
			                  where j.company_id = :company and j.id = :journey and j.state = 'on')
			),
			candidates as (
			    select n.id, n.email_address, null::uuid as list_id from named n
			),
			inserted as (
			    insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id,
			                             api_key_id, request_id, enrolled_at, due_at)
			    select :company,
			           cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + row_number() over (order by k.id)) as uuid),
			           :journey, k.id, 'active', case when k.list_id is null then 'contact' else 'list' end, k.list_id,
			           :apiKey, :requestId, :now,
			           (select case when j.steps is not null then cast(:now as timestamptz) end
			            from journeys j where j.company_id = :company and j.id = :journey)
			    from candidates k
			    where not exists (select 1 from enrollments e
			                      where e.company_id = :company and e.journey_id = :journey
			                        and e.contact_id = k.id and e.status = 'completed' and e.completed_at > :cutoff
			                      offset 0)
			    order by k.id
			    on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			    returning id, contact_id
			),
			"""
			+ EnteredBlocks.ANNOUNCE_INSERTED + """
					select 'enrolled' as outcome, count(*) as contacts, null::text[] as emails
					from inserted
					union all
					select case when not exists (select 1 from enrollments e
					                             where e.company_id = :company and e.journey_id = :journey
					                               and e.contact_id = k.id and e.status = 'active' offset 0)
					                 and exists (select 1 from enrollments e
					                             where e.company_id = :company and e.journey_id = :journey
					                               and e.contact_id = k.id and e.status = 'completed'
					                               and e.completed_at > :cutoff offset 0)
					            then 'recently_completed' else 'already_enrolled' end,
					       count(*), array_agg(k.email_address order by k.email_address collate "C")
					from candidates k
					where not exists (select 1 from inserted i where i.contact_id = k.id)
					group by 1
					union all
					select 'not_found', count(*), array_agg(x.email order by x.email collate "C")
					from unnest(cast(:emails as text[])) as x(email)
					where not exists (select 1 from named n where n.email_address = x.email)
					""";

	private final NamedParameterJdbcTemplate autocommit;

	PlainEnrollStatements(JdbcClient jdbc, NamedParameterJdbcTemplate autocommit) {
		super(jdbc);
		this.autocommit = autocommit;
	}

	@Override
	EnrollResult enroll(Enroll enroll) {
		IdBlock ids = IdBlock.at(enroll.now());
		var statement = ids.bind(this.jdbc.sql(ENROLL))
			.params(EnteredBlocks.enteredBlock(ids, enroll.now()))
			.param("company", enroll.companyId())
			.param("journey", enroll.journeyId())
			.param("emails", enroll.emailArray())
			.param("now", SqlTimes.bind(enroll.now()))
			.param("cutoff", SqlTimes.bind(enroll.reentryCutoff()))
			.param("apiKey", enroll.audit().apiKeyId())
			.param("requestId", enroll.audit().requestId(), Types.VARCHAR)
			.param("lists", enroll.listArray());
		return Objects.requireNonNull(statement.query(EnrollStatements::read));
	}

	@Override
	LockedEnroll lockAndEnroll(Enroll enroll) {
		IdBlock ids = IdBlock.at(enroll.now());
		MapSqlParameterSource params = new MapSqlParameterSource().addValue("company", enroll.companyId())
			.addValue("journey", enroll.journeyId())
			.addValue("emails", enroll.emailArray())
			.addValue("now", SqlTimes.bind(enroll.now()))
			.addValue("cutoff", SqlTimes.bind(enroll.reentryCutoff()))
			.addValue("apiKey", enroll.audit().apiKeyId())
			.addValue("requestId", enroll.audit().requestId(), Types.VARCHAR)
			.addValue("idPrefix", ids.prefix())
			.addValue("idBase", ids.base());
		params.addValues(EnteredBlocks.enteredBlock(ids, enroll.now()));
		return Objects.requireNonNull(this.autocommit.execute(LOCK_AND_ENROLL_NAMED, params, statement -> {
			statement.execute();
			Optional<JourneyState> state;
			try (ResultSet lock = statement.getResultSet()) {
				state = lock.next() ? JourneyState.of(lock.getString(1)) : Optional.empty();
			}
			if (!statement.getMoreResults()) {
				throw new IllegalStateException("the enroll statement gave no answer");
			}
			try (ResultSet outcomes = statement.getResultSet()) {
				return new LockedEnroll(state, EnrollStatements.read(outcomes));
			}
		}));
	}

}
