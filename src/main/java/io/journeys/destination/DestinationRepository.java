package io.journeys.destination;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Every statement names the company: on Citus each goes to the company's shard. */
@Repository
class DestinationRepository {

	/** {@code resumedAt}: the circuit breaker counts only the minutes after it. */
	record Row(UUID id, String origin, String state, @Nullable String pausedReason, @Nullable Instant pausedAt,
			@Nullable Instant resumedAt, @Nullable Instant probeAt, @Nullable Integer maxPerSecond, Instant createdAt,
			Instant updatedAt) {

		boolean paused() {
			return Destinations.PAUSED.equals(this.state);
		}

	}

	record Counts(long calls, long failures) {
	}

	private static final String COLUMNS = """
			d.id, d.origin, d.state, d.paused_reason, d.paused_at, d.resumed_at, d.probe_at, d.max_per_second,
			d.created_at, d.updated_at""";

	private static final RowMapper<Row> ROW = (rs, row) -> new Row(rs.getObject("id", UUID.class),
			rs.getString("origin"), rs.getString("state"), rs.getString("paused_reason"),
			SqlTimes.read(rs, "paused_at"), SqlTimes.read(rs, "resumed_at"), SqlTimes.read(rs, "probe_at"),
			rs.getObject("max_per_second", Integer.class), SqlTimes.read(rs, "created_at"),
			SqlTimes.read(rs, "updated_at"));

	private final JdbcClient jdbc;

	DestinationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void register(UUID companyId, String origin, Instant now) {
		this.jdbc.sql("""
				insert into destinations (company_id, id, origin, state, created_at, updated_at)
				values (:company, :id, :origin, 'active', :now, :now)
				on conflict (company_id, origin) do nothing
				""")
			.param("company", companyId)
			.param("id", UUID.randomUUID())
			.param("origin", origin)
			.param("now", SqlTimes.bind(now))
			.update();
	}

	Optional<Row> findByOrigin(UUID companyId, String origin) {
		return this.jdbc
			.sql("select " + COLUMNS + " from destinations d where d.company_id = :company and d.origin = :origin")
			.param("company", companyId)
			.param("origin", origin)
			.query(ROW)
			.optional();
	}

	Optional<Row> lock(UUID companyId, UUID id) {
		return this.jdbc
			.sql("select " + COLUMNS + " from destinations d where d.company_id = :company and d.id = :id for update")
			.param("company", companyId)
			.param("id", id)
			.query(ROW)
			.optional();
	}

	List<Row> byOrigins(UUID companyId, List<String> origins) {
		return this.jdbc
			.sql("select " + COLUMNS
					+ " from destinations d where d.company_id = :company and d.origin = any(cast(:origins as text[]))")
			.param("company", companyId)
			.param("origins", origins.toArray(String[]::new))
			.query(ROW)
			.list();
	}

	List<DestinationView> page(UUID companyId, PageQuery query, Instant now) {
		return Keyset.bind(this.jdbc.sql("select " + COLUMNS + ", " + LAST_HOUR + " " + """
				from destinations d
				where d.company_id = :company
				  and (cast(:afterAt as timestamptz) is null or (d.created_at, d.id) > (:afterAt, :afterId))
				order by d.created_at, d.id
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("hourAgo", hourAgo(now))
			.param("limit", query.fetchSize())
			.query(DestinationRepository::view)
			.list();
	}

	Optional<DestinationView> get(UUID companyId, UUID id, Instant now) {
		return this.jdbc
			.sql("select " + COLUMNS + ", " + LAST_HOUR
					+ " from destinations d where d.company_id = :company and d.id = :id")
			.param("company", companyId)
			.param("id", id)
			.param("hourAgo", hourAgo(now))
			.query(DestinationRepository::view)
			.optional();
	}

	private static final String LAST_HOUR = """
			(select coalesce(sum(m.calls), 0) from destination_minutes m
			 where m.company_id = :company and m.destination_id = d.id and m.minute >= :hourAgo) as calls,
			(select coalesce(sum(m.failures), 0) from destination_minutes m
			 where m.company_id = :company and m.destination_id = d.id and m.minute >= :hourAgo) as failures""";

	/** The minute an hour ago, whole: the current minute and the 60 before it. */
	private static java.time.OffsetDateTime hourAgo(Instant now) {
		return SqlTimes.bind(now.minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES));
	}

	private static DestinationView view(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		Row d = ROW.mapRow(rs, row);
		return new DestinationView("destination", d.id(), d.origin(), d.state(), d.pausedReason(), d.pausedAt(),
				d.maxPerSecond(), rs.getLong("calls"), rs.getLong("failures"), d.createdAt(), d.updatedAt());
	}

	/** Writes the state as given: the caller holds the row's lock. */
	void save(UUID companyId, Row row) {
		this.jdbc.sql("""
				update destinations set state = :state, paused_reason = :reason, paused_at = :pausedAt,
				       resumed_at = :resumedAt, probe_at = :probeAt, max_per_second = :max, updated_at = :updatedAt
				where company_id = :company and id = :id
				""")
			.param("company", companyId)
			.param("id", row.id())
			.param("state", row.state())
			.param("reason", row.pausedReason(), java.sql.Types.VARCHAR)
			.param("pausedAt", SqlTimes.bind(row.pausedAt()), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
			.param("resumedAt", SqlTimes.bind(row.resumedAt()), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
			.param("probeAt", SqlTimes.bind(row.probeAt()), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
			.param("max", row.maxPerSecond(), java.sql.Types.INTEGER)
			.param("updatedAt", SqlTimes.bind(row.updatedAt()))
			.update();
	}

	/** Minute by minute: two instances adding to the same minute add up. */
	void count(UUID companyId, UUID id, Instant now, int calls, int failures) {
		this.jdbc.sql("""
				insert into destination_minutes as m (company_id, destination_id, minute, calls, failures)
				values (:company, :id, :minute, :calls, :failures)
				on conflict (company_id, destination_id, minute)
				do update set calls = m.calls + excluded.calls, failures = m.failures + excluded.failures
				""")
			.param("company", companyId)
			.param("id", id)
			.param("minute", SqlTimes.bind(now.truncatedTo(ChronoUnit.MINUTES)))
			.param("calls", calls)
			.param("failures", failures)
			.update();
	}

	/** The minutes that start after {@code after}. */
	Counts countsAfter(UUID companyId, UUID id, Instant after) {
		return this.jdbc.sql("""
				select coalesce(sum(calls), 0) as calls, coalesce(sum(failures), 0) as failures
				from destination_minutes
				where company_id = :company and destination_id = :id and minute > :after
				""")
			.param("company", companyId)
			.param("id", id)
			.param("after", SqlTimes.bind(after))
			.query((rs, row) -> new Counts(rs.getLong("calls"), rs.getLong("failures")))
			.single();
	}

	boolean isPaused(UUID companyId, UUID id) {
		return this.jdbc.sql("select state = 'paused' from destinations where company_id = :company and id = :id")
			.param("company", companyId)
			.param("id", id)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/** The one instance whose update finds the probe due makes the call. */
	boolean claimProbe(UUID companyId, UUID id, Instant now, Instant next) {
		return this.jdbc.sql("""
				update destinations set probe_at = :next
				where company_id = :company and id = :id and state = 'paused' and paused_reason = 'failing'
				  and probe_at <= :now
				""")
			.param("company", companyId)
			.param("id", id)
			.param("now", SqlTimes.bind(now))
			.param("next", SqlTimes.bind(next))
			.update() == 1;
	}

	/** Across companies, for the state gauge. */
	List<StateCount> states() {
		return this.jdbc.sql("""
				select state, coalesce(paused_reason, '') as reason, count(*) as count
				from destinations group by state, paused_reason
				""")
			.query((rs, row) -> new StateCount(rs.getString("state"), rs.getString("reason"), rs.getLong("count")))
			.list();
	}

	record StateCount(String state, String reason, long count) {
	}

	/** Across companies: the minutes no view or breaker reads any more. */
	int purgeMinutes(Instant before) {
		return this.jdbc.sql("delete from destination_minutes where minute < :before")
			.param("before", SqlTimes.bind(before))
			.update();
	}

}
