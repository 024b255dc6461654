package io.journeys.enrollment;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.journeys.enrollment.Results.EnrollResult;
import io.journeys.enrollment.Results.NotEnrolled;
import io.journeys.journey.JourneyState;
import io.journeys.persistence.ContactDeletes;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The enroll statements, and the reading of their answer. Each is one statement whatever
 * the number of contacts: emails and list ids travel as arrays bound to one parameter,
 * and candidates are resolved, written and reported inside SQL. On one PostgreSQL server
 * one statement inserts and reports ({@link #ENROLL}, {@link #ENROLL_NAMED}); on Citus an
 * insert inside a CTE cannot be routed to the company's shard, so there a top-level
 * insert ({@link #ROUTED_INSERT}) is followed by a report ({@link #ROUTED_REPORT}). All
 * run after {@link #LOCK_JOURNEY} in the same transaction.
 */
final class EnrollStatements {

	/**
	 * The active contacts named by email, none when the journey is not on (which matters
	 * only in {@link #LOCK_AND_ENROLL_NAMED}, where no one looks at the state in
	 * between). No contact can be deleted between the statement's snapshot and its
	 * commit: {@link #LOCK_JOURNEY} holds {@link ContactDeletes#SHARED}, which a contact
	 * delete waits for.
	 */
	private static final String NAMED = """
			named as (
			    select c.id, c.email_address
			    from contacts c
			    where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
			      and c.status = 'active'
			      and exists (select 1 from journeys j
			                  where j.company_id = :company and j.id = :journey and j.state = 'on')
			),
			""";

	/**
	 * The candidates of an enroll, {@code (company_id, id, email_address, list_id)}: the
	 * active contacts named by email plus the active members of the named lists, each
	 * once (named by email wins over a list; otherwise the first list in request order).
	 * The company id is the contacts' own, so that an insert fed by them is routed to the
	 * company's shard on Citus.
	 */
	private static final String CANDIDATES = """
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
			""";

	/**
	 * What both statements share, after a {@code candidates (id, email_address, list_id)}
	 * CTE. A candidate who completed the journey within the re-entry window is not
	 * inserted; {@code ON CONFLICT} on the partial unique index of active enrollments
	 * skips those already active, and settles races with concurrent requests the same
	 * way. Rows go in by contact id, the same order in every request, so two requests
	 * that wait on each other's uncommitted rows cannot deadlock (a list enroll and an
	 * enroll by email once inserted in different orders). One row per outcome follows;
	 * candidates not inserted are reported as recently completed when they are not active
	 * and completed within the window, otherwise as already enrolled (a contact that lost
	 * a race is active now). <code>%1$s</code> ends each per-candidate subquery,
	 * <code>%2$s</code> is the id expression ({@link IdBlock}), <code>%3$s</code> the due
	 * time ({@link #START}). Both statements run after {@link #LOCK_JOURNEY} in the same
	 * transaction, so no completion commits between their snapshot and their insert.
	 */
	/**
	 * A new active enrollment's {@code due_at}: now in a journey with steps, whose runner
	 * then starts it at the first step; null in a journey without steps, which the runner
	 * never looks at. The journey row is locked by the enroll ({@link #LOCK_JOURNEY}), so
	 * its steps cannot change before the insert commits.
	 */
	static final String START = """
			(select case when j.steps is not null then cast(:now as timestamptz) end
			 from journeys j where j.company_id = :company and j.id = :journey)""";

	/** Each inserted row's id: rows are numbered in the insert's contact-id order. */
	private static final String ROW_ID = IdBlock.idOf("row_number() over (order by k.id)");

	private static final String INSERT_AND_REPORT = """
			inserted as (
			    insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id,
			                             api_key_id, request_id, enrolled_at, due_at)
			    select :company, %2$s, :journey, k.id, 'active',
			           case when k.list_id is null then 'contact' else 'list' end, k.list_id,
			           :apiKey, :requestId, :now, %3$s
			    from candidates k
			    where not exists (select 1 from enrollments e
			                      where e.company_id = :company and e.journey_id = :journey
			                        and e.contact_id = k.id and e.status = 'completed'
			                        and e.completed_at > :cutoff %1$s)
			    order by k.id
			    on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			    returning contact_id
			)
			select 'enrolled' as outcome, count(*) as contacts, null::text[] as emails
			from inserted
			union all
			select case when not exists (select 1 from enrollments e
			                             where e.company_id = :company and e.journey_id = :journey
			                               and e.contact_id = k.id and e.status = 'active' %1$s)
			                 and exists (select 1 from enrollments e
			                             where e.company_id = :company and e.journey_id = :journey
			                               and e.contact_id = k.id and e.status = 'completed'
			                               and e.completed_at > :cutoff %1$s)
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
	 * Enroll by emails and lists, inside a transaction that has locked the journey and
	 * found it on. Planned for its parameters on every call: its sizes range from one
	 * contact to 100,000.
	 */
	static final String ENROLL = "with " + NAMED + "candidates as (" + CANDIDATES + "),\n"
			+ INSERT_AND_REPORT.formatted("", ROW_ID, START);

	/**
	 * Locks the journey row for an enroll and returns its state. State changes, complete
	 * and import hold the row {@code FOR UPDATE}, so this {@code FOR KEY SHARE} waits for
	 * them, and the enroll statement that follows in the same transaction takes its
	 * snapshot after they committed. It also takes {@link ContactDeletes#SHARED}: a
	 * contact delete running now commits before that snapshot, and one that comes later
	 * waits for the enroll and then deletes what it inserted for the contact.
	 */
	static final String LOCK_JOURNEY = """
			select j.state from journeys j, %s as deletes
			where j.company_id = :company and j.id = :journey for key share of j
			""".formatted(ContactDeletes.SHARED);

	/**
	 * Enroll by contact emails alone, after {@link #LOCK_JOURNEY} in the same
	 * transaction.
	 * <p>
	 * It runs with a generic plan (on the pool of {@link EnrollPoolConfiguration}), one
	 * plan for any number of emails. {@code OFFSET 0} keeps each per-candidate subquery
	 * an index probe: without it PostgreSQL may turn one into a join or a hash over every
	 * enrollment of the journey, which a generic plan, knowing neither the journey nor
	 * the number of emails, would keep however large the journey grows.
	 */
	static final String ENROLL_NAMED = "with " + NAMED + """
			candidates as (
			    select n.id, n.email_address, null::uuid as list_id from named n
			),
			""" + INSERT_AND_REPORT.formatted("offset 0", ROW_ID, START);

	/**
	 * {@link #LOCK_JOURNEY} and {@link #ENROLL_NAMED}, sent together on a connection in
	 * autocommit: pgjdbc sends both statements and one {@code Sync}, so PostgreSQL runs
	 * them in one implicit transaction, committed at the {@code Sync}, in one round trip
	 * (a transaction of its own took three: the lock with {@code BEGIN}, the enroll, the
	 * {@code COMMIT}). Each statement still takes its own snapshot, so the enroll sees
	 * what the lock waited for. When the journey is missing or not on, the enroll inserts
	 * nothing, and its answer is not read.
	 */
	static final String LOCK_AND_ENROLL_NAMED = LOCK_JOURNEY.strip() + ";\n" + ENROLL_NAMED;

	/**
	 * On Citus, the insert of {@link #ENROLL} alone, a top-level {@code INSERT … SELECT}
	 * that Citus sends whole to the company's shard: the company id comes from the
	 * company's rows, the ids from a window over the company (Citus pushes a window down
	 * only when it is partitioned by the distribution column), and nothing is inserted
	 * from a CTE. Its outcomes are read by {@link #ROUTED_REPORT}. Runs after
	 * {@link #LOCK_JOURNEY}, which found the journey on.
	 */
	static final String ROUTED_INSERT = """
			insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id,
			                         api_key_id, request_id, enrolled_at, due_at)
			select k.company_id, %s, :journey, k.id, 'active',
			       case when k.list_id is null then 'contact' else 'list' end, k.list_id,
			       :apiKey, :requestId, :now, %s
			from (%s) as k
			where not exists (select 1 from enrollments e
			                  where e.company_id = :company and e.journey_id = :journey
			                    and e.contact_id = k.id and e.status = 'completed'
			                    and e.completed_at > :cutoff)
			order by k.id
			on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing
			""".formatted(IdBlock.idOf("row_number() over (partition by k.company_id order by k.id)"), START,
			CANDIDATES);

	/**
	 * On Citus, after {@link #ROUTED_INSERT} in the same transaction: the candidates it
	 * did not insert, classified as {@link #ENROLL} does, and the emails that name no
	 * active contact. The rows it inserted are the active ones of its time whose ids lie
	 * in its block ({@code :firstId} to {@code :lastId}, {@link #ROUTED_BLOCK} rows): its
	 * window numbered every candidate, so the rows that went in are not the first ones of
	 * the block when some were skipped by {@code ON CONFLICT}.
	 */
	/**
	 * The rows of {@link #ROUTED_INSERT}'s block that {@link #ROUTED_REPORT} takes for
	 * its own: more than any enroll names. Another statement's row would be taken for one
	 * of them only if it had the same {@code enrolled_at}, to the microsecond, the same
	 * 12 random bits and a random base within 2<sup>40</sup> of this one.
	 */
	static final long ROUTED_BLOCK = 1L << 40;

	static final String ROUTED_REPORT = "with candidates as (" + CANDIDATES + """
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

	private EnrollStatements() {
	}

	/** What {@link #lockAndEnrollNamed} found: the journey's state, and what was done. */
	record LockedEnroll(Optional<JourneyState> state, EnrollResult result) {
	}

	/**
	 * Runs {@link #LOCK_AND_ENROLL_NAMED} on a connection in autocommit, for emails
	 * already normalized and within the limits.
	 */
	static LockedEnroll lockAndEnrollNamed(NamedParameterJdbcTemplate jdbc, UUID companyId, UUID journeyId,
			List<String> contactEmails, Instant now, Instant reentryCutoff, Audit audit) {
		IdBlock ids = IdBlock.at(now);
		MapSqlParameterSource params = new MapSqlParameterSource().addValue("company", companyId)
			.addValue("journey", journeyId)
			.addValue("emails", contactEmails.toArray(String[]::new))
			.addValue("now", SqlTimes.bind(now))
			.addValue("cutoff", SqlTimes.bind(reentryCutoff))
			.addValue("apiKey", audit.apiKeyId())
			.addValue("requestId", audit.requestId(), Types.VARCHAR)
			.addValue("idPrefix", ids.prefix())
			.addValue("idBase", ids.base());
		return Objects.requireNonNull(jdbc.execute(LOCK_AND_ENROLL_NAMED, params, statement -> {
			statement.execute();
			Optional<JourneyState> state;
			try (ResultSet lock = statement.getResultSet()) {
				state = lock.next() ? JourneyState.of(lock.getString(1)) : Optional.empty();
			}
			if (!statement.getMoreResults()) {
				throw new IllegalStateException("the enroll statement gave no answer");
			}
			try (ResultSet outcomes = statement.getResultSet()) {
				return new LockedEnroll(state, read(outcomes));
			}
		}));
	}

	/**
	 * Runs {@link #LOCK_JOURNEY}: the journey's state, empty when the company has no such
	 * journey.
	 */
	static Optional<JourneyState> lockJourney(JdbcClient jdbc, UUID companyId, UUID journeyId) {
		return jdbc.sql(LOCK_JOURNEY)
			.param("company", companyId)
			.param("journey", journeyId)
			.query(String.class)
			.optional()
			.map(state -> JourneyState.of(state).orElseThrow());
	}

	/**
	 * Runs the enroll statement, after {@link #lockJourney} in the same transaction:
	 * {@link #ENROLL_NAMED} when no list is named, else {@link #ENROLL}; on Citus
	 * ({@code routed}) {@link #ROUTED_INSERT} and {@link #ROUTED_REPORT}, each a
	 * single-shard statement there. On one PostgreSQL server the one statement is kept:
	 * the report's second pass over 100,000 candidates cost another 11-13 % of the
	 * insert.
	 */
	static EnrollResult enroll(JdbcClient jdbc, boolean routed, UUID companyId, UUID journeyId,
			List<String> contactEmails, List<UUID> listIds, Instant now, Instant reentryCutoff, Audit audit) {
		IdBlock ids = IdBlock.at(now);
		String sql = routed ? ROUTED_INSERT : listIds.isEmpty() ? ENROLL_NAMED : ENROLL;
		var statement = ids.bind(jdbc.sql(sql))
			.param("company", companyId)
			.param("journey", journeyId)
			.param("emails", contactEmails.toArray(String[]::new))
			.param("now", SqlTimes.bind(now))
			.param("cutoff", SqlTimes.bind(reentryCutoff))
			.param("apiKey", audit.apiKeyId())
			.param("requestId", audit.requestId(), Types.VARCHAR);
		if (routed || !listIds.isEmpty()) {
			statement = statement.param("lists", uuids(listIds));
		}
		if (!routed) {
			return Objects.requireNonNull(statement.query(EnrollStatements::read));
		}
		int inserted = statement.update();
		EnrollResult report = Objects.requireNonNull(jdbc.sql(ROUTED_REPORT)
			.param("company", companyId)
			.param("journey", journeyId)
			.param("emails", contactEmails.toArray(String[]::new))
			.param("lists", uuids(listIds))
			.param("cutoff", SqlTimes.bind(reentryCutoff))
			.param("now", SqlTimes.bind(now))
			.param("firstId", ids.id(1))
			.param("lastId", ids.id(ROUTED_BLOCK))
			.query(EnrollStatements::read));
		return new EnrollResult(inserted, report.notEnrolled());
	}

	/** Ids as a text array parameter ({@code cast(:lists as uuid[])}). */
	static String[] uuids(List<UUID> ids) {
		return ids.stream().map(UUID::toString).toArray(String[]::new);
	}

	/** Reads the outcome rows of an enroll statement. */
	private static EnrollResult read(ResultSet rs) throws SQLException {
		int enrolled = 0;
		List<String> notFound = List.of();
		List<String> alreadyEnrolled = List.of();
		List<String> recentlyCompleted = List.of();
		while (rs.next()) {
			switch (rs.getString("outcome")) {
				case "enrolled" -> enrolled = rs.getInt("contacts");
				case "not_found" -> notFound = strings(rs.getArray("emails"));
				case "already_enrolled" -> alreadyEnrolled = strings(rs.getArray("emails"));
				case "recently_completed" -> recentlyCompleted = strings(rs.getArray("emails"));
				default -> throw new IllegalStateException("unknown outcome " + rs.getString("outcome"));
			}
		}
		return new EnrollResult(enrolled, new NotEnrolled(notFound, alreadyEnrolled, recentlyCompleted));
	}

	static List<String> strings(@Nullable Array array) throws SQLException {
		return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
	}

}
