package io.journeys.enrollment;

import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.journeys.contact.Emails;
import io.journeys.enrollment.EnrollStatements.Audit;
import io.journeys.enrollment.EnrollmentResponses.CompleteResult;
import io.journeys.enrollment.EnrollmentResponses.ImportResult;
import io.journeys.enrollment.EnrollmentResponses.NotCompleted;
import io.journeys.enrollment.EnrollmentResponses.NotImported;
import io.journeys.enrollment.EnrollmentResponses.NotUnenrolled;
import io.journeys.enrollment.EnrollmentResponses.UnenrollResult;
import io.journeys.lifecycle.LifecycleOutbox;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The set statements that change enrollments, of {@link EnrollmentRepository}: each one
 * statement, whatever the number of contacts, with emails and ids bound as arrays. The
 * reads are {@link EnrollmentReadsImpl}.
 */
class EnrollmentQueriesImpl implements EnrollmentQueries {

	private static final String COMPLETE = """
			update enrollments e set status = 'completed', completed_at = :now, due_at = null
			from contacts c
			where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
			  and c.company_id = :company and c.id = e.contact_id
			  and c.email_address = any(cast(:emails as text[]))
			returning e.id, c.email_address
			""";

	private static final String NAMED = """
			select c.id, c.email_address from contacts c
			where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			""";

	private static final String UNENROLL = """
			update enrollments e set status = 'exited', exited_at = :now, due_at = null
			where e.company_id = :company and e.journey_id = :journey and e.status = 'active'
			  and e.contact_id in (select unnest(cast(:contacts as uuid[]))
			                       union
			                       select m.contact_id from list_members m
			                       where m.company_id = :company and m.list_id = any(cast(:lists as uuid[])))
			returning e.id, e.contact_id
			""";

	/**
	 * The contacts were found after {@link #HOLD_CONTACT_DELETES}, so none is deleted
	 * before this commits; the join routes the insert to the company's shard on Citus.
	 */
	private static final String IMPORT = """
			insert into enrollments (company_id, id, journey_id, contact_id, status, source, api_key_id,
			                         request_id, enrolled_at, completed_at, exited_at, due_at)
			select c.company_id, cast(cast(:idPrefix as text) || to_hex(cast(:idBase as bigint) + r.position) as uuid),
			       :journey, c.id,
			       case when r.completed_at is not null then 'completed'
			            when r.exited_at is not null then 'exited' else 'active' end,
			       'import', :apiKey, :requestId, r.enrolled_at, r.completed_at, r.exited_at,
			       case when r.completed_at is null and r.exited_at is null then
			           (select case when j.steps is not null then cast(:now as timestamptz) end
			            from journeys j where j.company_id = :company and j.id = :journey)
			       end
			from unnest(cast(:contacts as uuid[]), cast(:enrolled as timestamptz[]),
			            cast(:completed as timestamptz[]), cast(:exited as timestamptz[]))
			     with ordinality as r(contact_id, enrolled_at, completed_at, exited_at, position)
			join contacts c on c.company_id = :company and c.id = r.contact_id
			order by r.position
			on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			returning id, contact_id, status
			""";

	private static final String HOLD_CONTACT_DELETES = """
			select 1
			from journeys j,
			     pg_advisory_xact_lock_shared(hashtextextended('contact-deletes:' || cast(:company as text), 0)) as deletes
			where j.company_id = :company and j.id = :journey
			""";

	private final JdbcClient jdbc;

	private final LifecycleOutbox outbox;

	/** Each change writes its lifecycle events in its own transaction. */
	EnrollmentQueriesImpl(JdbcClient jdbc, LifecycleOutbox outbox) {
		this.jdbc = jdbc;
		this.outbox = outbox;
	}

	@Override
	public CompleteResult complete(UUID companyId, UUID journeyId, List<String> contactEmails, Instant now) {
		Set<String> completed = new HashSet<>();
		List<UUID> ids = new ArrayList<>();
		this.jdbc.sql(COMPLETE)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("emails", contactEmails.toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.query(rs -> {
				ids.add(rs.getObject("id", UUID.class));
				completed.add(rs.getString("email_address"));
			});
		this.outbox.ended(companyId, ids, now);
		List<String> notEnrolled = contactEmails.stream().filter(email -> !completed.contains(email)).toList();
		return new CompleteResult(completed.size(), new NotCompleted(Emails.inByteOrder(notEnrolled)));
	}

	@Override
	public UnenrollResult unenroll(UUID companyId, UUID journeyId, List<String> contactEmails, List<UUID> listIds,
			Instant now) {
		Map<String, UUID> named = named(companyId, contactEmails);
		Set<UUID> exited = new HashSet<>();
		List<UUID> ids = new ArrayList<>();
		this.jdbc.sql(UNENROLL)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("contacts", EnrollStatements.uuids(List.copyOf(named.values())))
			.param("lists", EnrollStatements.uuids(listIds))
			.param("now", SqlTimes.bind(now))
			.query(rs -> {
				ids.add(rs.getObject("id", UUID.class));
				exited.add(rs.getObject("contact_id", UUID.class));
			});
		this.outbox.ended(companyId, ids, now);
		List<String> notFound = contactEmails.stream().filter(email -> !named.containsKey(email)).toList();
		List<String> notEnrolled = named.entrySet()
			.stream()
			.filter(contact -> !exited.contains(contact.getValue()))
			.map(Map.Entry::getKey)
			.toList();
		return new UnenrollResult(exited.size(),
				new NotUnenrolled(Emails.inByteOrder(notFound), Emails.inByteOrder(notEnrolled)));
	}

	private Map<String, UUID> named(UUID companyId, Collection<String> emails) {
		Map<String, UUID> named = new HashMap<>();
		this.jdbc.sql(NAMED)
			.param("company", companyId)
			.param("emails", emails.stream().distinct().toArray(String[]::new))
			.query(rs -> {
				named.put(rs.getString("email_address"), rs.getObject("id", UUID.class));
			});
		return named;
	}

	/** Already enrolled: fewer of an email's active rows went in than it sent. */
	@Override
	public ImportResult importHistory(UUID companyId, UUID journeyId, List<HistoryRow> rows, Audit audit, Instant now) {
		this.jdbc.sql(HOLD_CONTACT_DELETES)
			.param("company", companyId)
			.param("journey", journeyId)
			.query((rs, row) -> 1)
			.list();
		Map<String, UUID> named = named(companyId, rows.stream().map(HistoryRow::emailAddress).toList());
		List<HistoryRow> found = rows.stream().filter(row -> named.containsKey(row.emailAddress())).toList();
		int size = found.size();
		String[] contacts = new String[size];
		String[] enrolled = new String[size];
		String[] completed = new String[size];
		String[] exited = new String[size];
		Map<String, Integer> activeRows = new HashMap<>();
		for (int i = 0; i < size; i++) {
			HistoryRow row = found.get(i);
			contacts[i] = named.get(row.emailAddress()).toString();
			enrolled[i] = row.enrolledAt().toString();
			completed[i] = row.completedAt() == null ? null : row.completedAt().toString();
			exited[i] = row.exitedAt() == null ? null : row.exitedAt().toString();
			if (row.completedAt() == null && row.exitedAt() == null) {
				activeRows.merge(row.emailAddress(), 1, Integer::sum);
			}
		}
		Map<UUID, Integer> activeInserted = new HashMap<>();
		int[] imported = { 0 };
		List<UUID> entered = new ArrayList<>();
		if (size > 0) {
			IdBlock.at(now)
				.bind(this.jdbc.sql(IMPORT))
				.param("company", companyId)
				.param("journey", journeyId)
				.param("contacts", contacts)
				.param("enrolled", enrolled)
				.param("completed", completed)
				.param("exited", exited)
				.param("now", SqlTimes.bind(now))
				.param("apiKey", audit.apiKeyId())
				.param("requestId", audit.requestId(), Types.VARCHAR)
				.query(rs -> {
					imported[0]++;
					if ("active".equals(rs.getString("status"))) {
						activeInserted.merge(rs.getObject("contact_id", UUID.class), 1, Integer::sum);
						entered.add(rs.getObject("id", UUID.class));
					}
				});
			this.outbox.entered(companyId, entered, now);
		}
		List<String> notFound = rows.stream()
			.map(HistoryRow::emailAddress)
			.filter(email -> !named.containsKey(email))
			.toList();
		List<String> alreadyEnrolled = activeRows.entrySet()
			.stream()
			.filter(email -> email.getValue() > activeInserted.getOrDefault(named.get(email.getKey()), 0))
			.map(Map.Entry::getKey)
			.toList();
		return new ImportResult(imported[0],
				new NotImported(Emails.inByteOrder(notFound), Emails.inByteOrder(alreadyEnrolled)));
	}

	/**
	 * Puts failed enrollments back at their step, active and due now, with a fresh
	 * budget: those that exited with {@code action_failed} at a step the journey still
	 * has, in a journey not archived, whose contact is not active in the journey. Of a
	 * contact's several such enrollments only the latest exited goes back (the partial
	 * unique index allows one active). Filters left {@code null} match everything; at
	 * most {@code :limit} rows per statement. Rows this transaction already put back are
	 * active and match no more, so running it again takes the next ones. The journey's
	 * step ids are read once (a hashed subplan), not its steps cast to JSON for each row.
	 */
	private static final String RETRY = """
			update enrollments e
			set status = 'active', exited_at = null, exit_reason = null, attempts = 0, due_at = :now,
			    last_attempt_at = null, last_status = null, last_error = null
			where e.company_id = :company and e.journey_id = :journey
			  and e.id in (select distinct on (f.contact_id) f.id
			               from enrollments f
			               where f.company_id = :company and f.journey_id = :journey
			                 and f.status = 'exited' and f.exit_reason = 'action_failed'
			                 and (cast(:id as uuid) is null or f.id = :id)
			                 and (cast(:step as text) is null or f.step_id = :step)
			                 and (cast(:since as timestamptz) is null or f.exited_at >= :since)
			                 and f.step_id in (select s.step ->> 'id'
			                                   from journeys j, jsonb_array_elements(cast(j.steps as jsonb)) as s(step)
			                                   where j.company_id = :company and j.id = :journey and j.state <> 'archived')
			                 and not exists (select 1 from enrollments a
			                                 where a.company_id = :company and a.journey_id = :journey
			                                   and a.contact_id = f.contact_id and a.status = 'active')
			               order by f.contact_id, f.exited_at desc, f.id desc
			               limit :limit)
			""";

	@Override
	public boolean retry(UUID companyId, UUID journeyId, UUID id, Instant now) {
		return retry(companyId, journeyId, id, null, null, now, 1) == 1;
	}

	@Override
	public int retryAll(UUID companyId, UUID journeyId, @Nullable String stepId, @Nullable Instant since, Instant now,
			int batch) {
		int retried = 0;
		int last;
		do {
			last = retry(companyId, journeyId, null, stepId, since, now, batch);
			retried += last;
		}
		while (last == batch);
		return retried;
	}

	private int retry(UUID companyId, UUID journeyId, @Nullable UUID id, @Nullable String stepId,
			@Nullable Instant since, Instant now, int limit) {
		return this.jdbc.sql(RETRY)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("id", id, Types.OTHER)
			.param("step", stepId, Types.VARCHAR)
			.param("since", SqlTimes.bind(since), Types.TIMESTAMP_WITH_TIMEZONE)
			.param("now", SqlTimes.bind(now))
			.param("limit", limit)
			.update();
	}

}
