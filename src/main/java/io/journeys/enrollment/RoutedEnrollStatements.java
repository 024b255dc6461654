package io.journeys.enrollment;

import java.sql.Types;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.journeys.journey.JourneyState;
import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An {@code INSERT … SELECT}, then its report, each routed whole to the company's shard.
 * On one server they cost more: bench/results/2026-12-07-routed-vs-plain.md.
 */
class RoutedEnrollStatements extends EnrollStatements {

	/** The window is partitioned by company id: only then does Citus push it down. */
	static final String INSERT = """
			insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id,
			                         api_key_id, request_id, enrolled_at, due_at)
			select k.company_id,
			       cast(cast(:idPrefix as text)
			            || to_hex(cast(:idBase as bigint) + row_number() over (partition by k.company_id order by k.id)) as uuid),
			       :journey, k.id, 'active', case when k.list_id is null then 'contact' else 'list' end, k.list_id,
			       :apiKey, :requestId, :now,
			       (select case when j.steps is not null then cast(:now as timestamptz) end
			        from journeys j where j.company_id = :company and j.id = :journey)
			from (select distinct on (id) company_id, id, email_address, list_id
			      from (select c.company_id, c.id, c.email_address, null::uuid as list_id, 0::bigint as position
			            from contacts c
			            where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			              and c.status = 'active'
			            union all
			            select c.company_id, c.id, c.email_address, l.list_id, l.position
			            from unnest(cast(:lists as uuid[])) with ordinality as l(list_id, position)
			            join list_members m on m.company_id = :company and m.list_id = l.list_id
			            join contacts c on c.company_id = :company and c.id = m.contact_id and c.status = 'active'
			           ) as named_or_listed
			      order by id, position) as k
			where not exists (select 1 from enrollments e
			                  where e.company_id = :company and e.journey_id = :journey
			                    and e.contact_id = k.id and e.status = 'completed' and e.completed_at > :cutoff)
			order by k.id
			on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			""";

	/**
	 * The inserted rows are found by the id block, not its first ids: the window numbered
	 * every candidate, including those {@code ON CONFLICT} skipped.
	 */
	static final String REPORT = """
			with candidates as (
			    select distinct on (id) company_id, id, email_address, list_id
			    from (select c.company_id, c.id, c.email_address, null::uuid as list_id, 0::bigint as position
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
			)
			select case when not exists (select 1 from enrollments e
			                             where e.company_id = :company and e.journey_id = :journey
			                               and e.contact_id = k.id and e.status = 'active')
			                 and exists (select 1 from enrollments e
			                             where e.company_id = :company and e.journey_id = :journey
			                               and e.contact_id = k.id and e.status = 'completed'
			                               and e.completed_at > :cutoff)
			            then 'recently_completed' else 'already_enrolled' end as outcome,
			       count(*) as contacts, array_agg(k.email_address order by k.email_address collate "C") as emails
			from candidates k
			where not exists (select 1 from enrollments e
			                  where e.company_id = :company and e.journey_id = :journey
			                    and e.contact_id = k.id and e.status = 'active'
			                    and e.enrolled_at = :now and e.id between :firstId and :lastId)
			group by 1
			union all
			select 'not_found', count(*), array_agg(x.email order by x.email collate "C")
			from unnest(cast(:emails as text[])) as x(email)
			where not exists (select 1 from contacts c
			                  where c.company_id = :company and c.email_address = x.email and c.status = 'active')
			""";

	private final TransactionTemplate transactions;

	RoutedEnrollStatements(JdbcClient jdbc, TransactionTemplate transactions) {
		super(jdbc);
		this.transactions = transactions;
	}

	@Override
	EnrollResult enroll(Enroll enroll) {
		IdBlock ids = IdBlock.at(enroll.now());
		int inserted = ids.bind(this.jdbc.sql(INSERT))
			.param("company", enroll.companyId())
			.param("journey", enroll.journeyId())
			.param("emails", enroll.emailArray())
			.param("lists", enroll.listArray())
			.param("now", SqlTimes.bind(enroll.now()))
			.param("cutoff", SqlTimes.bind(enroll.reentryCutoff()))
			.param("apiKey", enroll.audit().apiKeyId())
			.param("requestId", enroll.audit().requestId(), Types.VARCHAR)
			.update();
		if (inserted > 0) {
			EnteredBlocks.entered(this.jdbc, enroll.companyId(), enroll.journeyId(), ids, enroll.now());
		}
		EnrollResult report = Objects.requireNonNull(this.jdbc.sql(REPORT)
			.param("company", enroll.companyId())
			.param("journey", enroll.journeyId())
			.param("emails", enroll.emailArray())
			.param("lists", enroll.listArray())
			.param("cutoff", SqlTimes.bind(enroll.reentryCutoff()))
			.param("now", SqlTimes.bind(enroll.now()))
			.param("firstId", ids.first())
			.param("lastId", ids.last())
			.query(EnrollStatements::read));
		return new EnrollResult(inserted, report.notEnrolled());
	}

	/**
	 * An explicit transaction: Citus runs an implicit one's statements as a transaction
	 * each on the worker, so the lock would be gone before the insert.
	 */
	@Override
	LockedEnroll lockAndEnroll(Enroll enroll) {
		return Objects.requireNonNull(this.transactions.execute(status -> {
			Optional<JourneyState> state = lockJourney(enroll.companyId(), enroll.journeyId());
			return state.filter(JourneyState.ON::equals).isPresent() ? new LockedEnroll(state, enroll(enroll))
					: LockedEnroll.notRun(state);
		}));
	}

}
