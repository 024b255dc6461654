package io.journeys.enrollment;

import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.enrollment.Results.CompleteResult;
import io.journeys.enrollment.Results.EnrollmentView;
import io.journeys.enrollment.Results.ImportResult;
import io.journeys.enrollment.Results.NotCompleted;
import io.journeys.enrollment.Results.NotImported;
import io.journeys.enrollment.Results.NotUnenrolled;
import io.journeys.enrollment.Results.UnenrollResult;
import io.journeys.web.Cursor;
import io.journeys.web.PageQuery;
import io.journeys.persistence.ContactDeletes;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.jdbc.core.simple.JdbcClient;

interface EnrollmentRepository extends JpaRepository<Enrollment, TenantKey>, EnrollmentQueries {

}

/** Who did it, for the audit columns of the rows a request writes. */
record Audit(UUID apiKeyId, @Nullable String requestId) {
}

/**
 * Every operation here is one statement, whatever the number of contacts: emails and ids
 * travel as arrays bound to one parameter, and candidates are resolved, classified and
 * written inside SQL. Enroll itself is in {@link EnrollStatements}, because it runs on
 * either of two pools.
 */
interface EnrollmentQueries {

	CompleteResult complete(UUID companyId, UUID journeyId, List<String> contactEmails, Instant now);

	UnenrollResult unenroll(UUID companyId, UUID journeyId, List<String> contactEmails, List<UUID> listIds,
			Instant now);

	ImportResult importHistory(UUID companyId, UUID journeyId, List<HistoryRow> rows, Audit audit, Instant now);

	List<EnrollmentView> page(UUID companyId, UUID journeyId, @Nullable String status, @Nullable String email,
			PageQuery query);

}

class EnrollmentQueriesImpl implements EnrollmentQueries {

	private static final String COMPLETE = """
			with target as (
			    select c.id, c.email_address from contacts c
			    where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			),
			completed as (
			    update enrollments e set status = 'completed', completed_at = :now
			    from target t
			    where e.company_id = :company and e.journey_id = :journey and e.contact_id = t.id
			      and e.status = 'active'
			    returning t.email_address
			)
			select (select count(*) from completed) as completed,
			       array(select x.email from unnest(cast(:emails as text[])) as x(email)
			             where not exists (select 1 from completed d where d.email_address = x.email)
			             order by x.email collate "C") as not_enrolled
			""";

	private static final String UNENROLL = """
			with named as (
			    select c.id, c.email_address from contacts c
			    where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			),
			targets as (
			    select id from named
			    union
			    select m.contact_id from list_members m
			    where m.company_id = :company and m.list_id = any(cast(:lists as uuid[]))
			),
			exited as (
			    update enrollments e set status = 'exited', exited_at = :now
			    where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
			      and e.contact_id in (select id from targets)
			    returning e.contact_id
			)
			select (select count(*) from exited) as exited,
			       array(select x.email from unnest(cast(:emails as text[])) as x(email)
			             where not exists (select 1 from named n where n.email_address = x.email)
			             order by x.email collate "C") as not_found,
			       array(select n.email_address from named n
			             where not exists (select 1 from exited x where x.contact_id = n.id)
			             order by n.email_address collate "C") as not_enrolled
			""";

	/**
	 * Completed and exited rows always go in; an active row goes in unless the contact is
	 * already active in the journey (before the import, or through an earlier row of the
	 * same import). It runs after {@link #HOLD_CONTACT_DELETES} in the same transaction,
	 * so no contact it matches is deleted before it commits.
	 */
	private static final String IMPORT = """
			with input as (
			    select * from unnest(cast(:emails as text[]), cast(:enrolled as timestamptz[]),
			                         cast(:completed as timestamptz[]), cast(:exited as timestamptz[]))
			           with ordinality as r(email, enrolled_at, completed_at, exited_at, position)
			),
			matched as (
			    select r.*, c.id as contact_id,
			           case when r.completed_at is not null then 'completed'
			                when r.exited_at is not null then 'exited' else 'active' end as status
			    from input r
			    join contacts c on c.company_id = :company and c.email_address = r.email
			),
			imported as (
			    insert into enrollments (company_id, id, journey_id, contact_id, status, source, api_key_id,
			                             request_id, enrolled_at, completed_at, exited_at)
			    select :company, %s, :journey, m.contact_id, m.status, 'import', :apiKey,
			           :requestId, m.enrolled_at, m.completed_at, m.exited_at
			    from matched m
			    order by m.position
			    on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			    returning contact_id, status
			)
			select (select count(*) from imported) as imported,
			       array(select r.email from input r
			             where not exists (select 1 from matched m where m.position = r.position)
			             group by r.email order by r.email collate "C") as not_found,
			       array(select m.email from matched m
			             left join (select i.contact_id, count(*) as inserted from imported i
			                        where i.status = 'active' group by i.contact_id) a
			                    on a.contact_id = m.contact_id
			             where m.status = 'active'
			             group by m.email, m.contact_id, a.inserted
			             having count(*) > coalesce(a.inserted, 0)
			             order by m.email collate "C") as already_enrolled
			""".formatted(IdBlock.idOf("m.position"));

	/** {@link ContactDeletes#SHARED}, taken in a statement before {@link #IMPORT}. */
	private static final String HOLD_CONTACT_DELETES = "select 1 from journeys j, " + ContactDeletes.SHARED
			+ " as deletes where j.company_id = :company and j.id = :journey";

	private final JdbcClient jdbc;

	EnrollmentQueriesImpl(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public CompleteResult complete(UUID companyId, UUID journeyId, List<String> contactEmails, Instant now) {
		return this.jdbc.sql(COMPLETE)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("emails", contactEmails.toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> new CompleteResult(rs.getInt("completed"),
					new NotCompleted(EnrollStatements.strings(rs.getArray("not_enrolled")))))
			.single();
	}

	@Override
	public UnenrollResult unenroll(UUID companyId, UUID journeyId, List<String> contactEmails, List<UUID> listIds,
			Instant now) {
		return this.jdbc.sql(UNENROLL)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("emails", contactEmails.toArray(String[]::new))
			.param("lists", EnrollStatements.uuids(listIds))
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> new UnenrollResult(rs.getInt("exited"),
					new NotUnenrolled(EnrollStatements.strings(rs.getArray("not_found")),
							EnrollStatements.strings(rs.getArray("not_enrolled")))))
			.single();
	}

	@Override
	public ImportResult importHistory(UUID companyId, UUID journeyId, List<HistoryRow> rows, Audit audit, Instant now) {
		this.jdbc.sql(HOLD_CONTACT_DELETES)
			.param("company", companyId)
			.param("journey", journeyId)
			.query((rs, row) -> 1)
			.list();
		int size = rows.size();
		String[] emails = new String[size];
		String[] enrolled = new String[size];
		String[] completed = new String[size];
		String[] exited = new String[size];
		for (int i = 0; i < size; i++) {
			HistoryRow row = rows.get(i);
			emails[i] = row.emailAddress();
			enrolled[i] = row.enrolledAt().toString();
			completed[i] = row.completedAt() == null ? null : row.completedAt().toString();
			exited[i] = row.exitedAt() == null ? null : row.exitedAt().toString();
		}
		return IdBlock.at(now)
			.bind(this.jdbc.sql(IMPORT))
			.param("company", companyId)
			.param("journey", journeyId)
			.param("emails", emails)
			.param("enrolled", enrolled)
			.param("completed", completed)
			.param("exited", exited)
			.param("apiKey", audit.apiKeyId())
			.param("requestId", audit.requestId(), Types.VARCHAR)
			.query((rs, row) -> new ImportResult(rs.getInt("imported"),
					new NotImported(EnrollStatements.strings(rs.getArray("not_found")),
							EnrollStatements.strings(rs.getArray("already_enrolled")))))
			.single();
	}

	@Override
	public List<EnrollmentView> page(UUID companyId, UUID journeyId, @Nullable String status, @Nullable String email,
			PageQuery query) {
		Cursor after = query.after();
		var statement = this.jdbc
			.sql("""
					select e.id, e.journey_id, e.contact_id, c.email_address, e.status, e.source, e.list_id,
					       e.enrolled_at, e.completed_at, e.exited_at
					from enrollments e
					join contacts c on c.company_id = :company and c.id = e.contact_id
					where e.company_id = :company and e.journey_id = :journey %s %s %s
					order by e.enrolled_at desc, e.id
					limit :limit
					""".formatted(status == null ? "" : "and e.status = :status",
					email == null ? "" : "and c.email_address = :email",
					after == null ? ""
							: "and (e.enrolled_at < :afterAt or (e.enrolled_at = :afterAt and e.id > :afterId))"))
			.param("company", companyId)
			.param("journey", journeyId)
			.param("limit", query.fetchSize());
		if (status != null) {
			statement = statement.param("status", status);
		}
		if (email != null) {
			statement = statement.param("email", email);
		}
		if (after != null) {
			statement = statement.param("afterAt", SqlTimes.bind(after.at())).param("afterId", after.id());
		}
		return statement
			.query((rs, row) -> new EnrollmentView("enrollment", rs.getObject("id", UUID.class),
					rs.getObject("journey_id", UUID.class), rs.getObject("contact_id", UUID.class),
					rs.getString("email_address"), rs.getString("status"), rs.getString("source"),
					rs.getObject("list_id", UUID.class), SqlTimes.read(rs, "enrolled_at"),
					SqlTimes.read(rs, "completed_at"), SqlTimes.read(rs, "exited_at")))
			.list();
	}

}
