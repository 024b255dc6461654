package io.journeys.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.DatabaseFailures;
import io.journeys.persistence.SecretSealer;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox as its sender sees it: which companies have deliveries due (or
 * {@link EnteredBlocks} to expand), a claim of a batch ({@code FOR UPDATE SKIP LOCKED},
 * held while the calls are made, so that the rows of an instance that dies come due again
 * for another: at least once), and the outcomes.
 */
@Component
public class OutgoingDeliveries {

	private static final Logger log = LoggerFactory.getLogger(OutgoingDeliveries.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The one search across companies; the claims that follow name one company. */
	private static final String DUE_COMPANIES = """
			select d.company_id
			from lifecycle_deliveries d
			where d.status = 'pending' and d.due_at <= :now
			union
			select b.company_id
			from lifecycle_entered_blocks b
			where b.expand_after is null or b.expand_after <= :now
			""";

	/**
	 * On Citus, shard by shard: a worker that is down holds back only its companies.
	 * Citus fills the {@code %s}; {@code format} puts the time in as a literal.
	 */
	private static final String DUE_COMPANIES_SHARD_BY_SHARD = """
			select nodename, nodeport, success, result
			from run_command_on_placements('lifecycle_deliveries', format($search$
			    select coalesce(json_agg(distinct d.company_id), '[]')
			    from %%s d
			    where d.status = 'pending' and d.due_at <= %L
			    $search$, cast(:now as timestamptz)))
			union all
			select nodename, nodeport, success, result
			from run_command_on_placements('lifecycle_entered_blocks', format($search$
			    select coalesce(json_agg(distinct b.company_id), '[]')
			    from %%s b
			    where b.expand_after is null or b.expand_after <= %L
			    $search$, cast(:now as timestamptz)))
			""";

	private static final String CLAIM = """
			select d.id, d.type, d.occurred_at, d.journey_id, d.enrollment_id, d.contact_id, d.exit_reason,
			       cast(d.data as text) as data, d.attempts, s.url, s.secret, c.email_address
			from lifecycle_deliveries d
			join subscriptions s on s.company_id = d.company_id and s.id = d.subscription_id
			left join contacts c on c.company_id = d.company_id and c.id = d.contact_id
			where d.company_id = :company and d.status = 'pending' and d.due_at <= :now
			order by d.due_at
			limit :limit
			for update of d skip locked
			""";

	/**
	 * Due deliveries whose subscription is gone: a change that wrote them committed after
	 * the subscription's delete had removed its deliveries. No claim takes them, and the
	 * purge keeps pending rows, so they go as the delete meant them to.
	 */
	private static final String DROP_ORPHANS = """
			delete from lifecycle_deliveries d
			where d.company_id = :company and d.status = 'pending' and d.due_at <= :now
			  and not exists (select 1 from subscriptions s where s.company_id = :company and s.id = d.subscription_id)
			""";

	/** A delivery that failed its last attempt is {@code failed}; it keeps its error. */
	private static final String RECORD = """
			update lifecycle_deliveries d
			set attempts = d.attempts + 1, last_attempt_at = :now, last_status = r.status, last_error = r.error,
			    status = case when r.delivered then 'delivered' when d.attempts + 1 >= :max then 'failed'
			                  else 'pending' end,
			    due_at = case when r.delivered or d.attempts + 1 >= :max then null else r.due end
			from unnest(cast(:ids as uuid[]), cast(:delivered as boolean[]), cast(:statuses as integer[]),
			            cast(:errors as text[]), cast(:dues as timestamptz[])) as r(id, delivered, status, error, due)
			where d.company_id = :company and d.id = r.id and d.status = 'pending'
			returning d.status
			""";

	private final JdbcClient jdbc;

	private final SecretSealer sealer;

	private final boolean citus;

	OutgoingDeliveries(JdbcClient jdbc, SecretSealer sealer, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.sealer = sealer;
		this.citus = engine.citus();
	}

	/**
	 * A claimed delivery, ready to send: {@code secret} is the subscription's
	 * {@code whsec_} secret, {@code body} the event's JSON.
	 */
	public record Outgoing(UUID id, String url, String secret, String messageId, String body, int attempts) {
	}

	/** What one call came to; {@code nextDue} applies when it failed. */
	public record Outcome(UUID id, boolean delivered, @Nullable Integer status, @Nullable String error,
			Instant nextDue) {
	}

	/** How many of the recorded outcomes ended each way. */
	public record Recorded(int delivered, int retried, int failed) {
	}

	/**
	 * Deletes the company's due deliveries whose subscription was deleted meanwhile; for
	 * a company whose due deliveries no claim takes.
	 */
	public int dropOrphans(UUID companyId, Instant now) {
		return this.jdbc.sql(DROP_ORPHANS).param("company", companyId).param("now", SqlTimes.bind(now)).update();
	}

	/** The companies with deliveries due or blocks to expand. */
	public List<UUID> companiesWithDue(Instant now) {
		if (!this.citus) {
			return this.jdbc.sql(DUE_COMPANIES).param("now", SqlTimes.bind(now)).query(UUID.class).list();
		}
		Set<UUID> companies = new LinkedHashSet<>();
		this.jdbc.sql(DUE_COMPANIES_SHARD_BY_SHARD).param("now", SqlTimes.bind(now)).query(rs -> {
			if (!rs.getBoolean("success")) {
				String node = rs.getString("nodename") + ":" + rs.getInt("nodeport");
				if (DatabaseFailures.firstThisMinute("lifecycle search on " + node)) {
					log.warn(
							"The lifecycle event sender could not search the shards on node {} ({}); the deliveries "
									+ "of the companies there wait until it answers (this line once a minute)",
							node, rs.getString("result"));
				}
				return;
			}
			for (JsonNode company : JSON.readTree(rs.getString("result"))) {
				companies.add(UUID.fromString(company.asString()));
			}
		});
		return List.copyOf(companies);
	}

	/** In the caller's transaction, which records the outcomes before it commits. */
	public List<Outgoing> claim(UUID companyId, Instant now, int limit) {
		return this.jdbc.sql(CLAIM)
			.param("company", companyId)
			.param("now", SqlTimes.bind(now))
			.param("limit", limit)
			.query((rs, row) -> outgoing(rs))
			.list();
	}

	public Recorded record(UUID companyId, List<Outcome> outcomes, int maxAttempts, Instant now) {
		if (outcomes.isEmpty()) {
			return new Recorded(0, 0, 0);
		}
		List<String> statuses = this.jdbc.sql(RECORD)
			.param("company", companyId)
			.param("ids", outcomes.stream().map(Outcome::id).toArray(UUID[]::new))
			.param("delivered", outcomes.stream().map(Outcome::delivered).toArray(Boolean[]::new))
			.param("statuses", outcomes.stream().map(Outcome::status).toArray(Integer[]::new))
			.param("errors", outcomes.stream().map(Outcome::error).toArray(String[]::new))
			.param("dues", outcomes.stream().map(outcome -> outcome.nextDue().toString()).toArray(String[]::new))
			.param("max", maxAttempts)
			.param("now", SqlTimes.bind(now))
			.query(String.class)
			.list();
		return new Recorded((int) statuses.stream().filter("delivered"::equals).count(),
				(int) statuses.stream().filter("pending"::equals).count(),
				(int) statuses.stream().filter("failed"::equals).count());
	}

	/** The same for every attempt and replay of one event to one subscription. */
	static String messageId(UUID deliveryId) {
		return "msg_" + deliveryId.toString().replace("-", "");
	}

	private Outgoing outgoing(ResultSet rs) throws SQLException {
		UUID id = rs.getObject("id", UUID.class);
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		UUID journey = rs.getObject("journey_id", UUID.class);
		if (journey != null) {
			data.put("journey", Map.of("id", journey.toString()));
		}
		UUID enrollment = rs.getObject("enrollment_id", UUID.class);
		if (enrollment != null) {
			data.put("enrollment", Map.of("id", enrollment.toString()));
		}
		UUID contact = rs.getObject("contact_id", UUID.class);
		if (contact != null) {
			Map<String, @Nullable Object> about = new LinkedHashMap<>();
			about.put("id", contact.toString());
			about.put("email_address", rs.getString("email_address"));
			data.put("contact", about);
		}
		String type = rs.getString("type");
		if (LifecycleEvent.ENROLLMENT_EXITED.type().equals(type)) {
			// null when unenrolled through the API
			data.put("exit_reason", rs.getString("exit_reason"));
		}
		String extra = rs.getString("data");
		if (extra != null) {
			JSON.readTree(extra).properties().forEach(field -> data.put(field.getKey(), field.getValue()));
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", type);
		event.put("timestamp", SqlTimes.read(rs, "occurred_at").toString());
		event.put("data", data);
		return new Outgoing(id, rs.getString("url"), this.sealer.open(rs.getString("secret")), messageId(id),
				JSON.writeValueAsString(event), rs.getInt("attempts"));
	}

}
