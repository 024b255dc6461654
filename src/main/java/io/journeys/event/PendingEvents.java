package io.journeys.event;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.journeys.persistence.CompanyPurge;
import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.DatabaseFailures;
import io.journeys.persistence.SqlTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The searches across companies: events left to apply, events past their retention. */
@Repository
class PendingEvents {

	private static final Logger log = LoggerFactory.getLogger(PendingEvents.class);

	private static final int PURGE_BATCH = 5000;

	/** Events not yet applied are kept. */
	private static final String PURGE = """
			delete from events
			where company_id = :company and (contact_id, occurred_at, id) in (
			    select e.contact_id, e.occurred_at, e.id from events e
			    where e.company_id = :company and e.received_at < :before
			      and not exists (select 1 from event_queue q
			                      where q.company_id = :company and q.contact_id = e.contact_id
			                        and q.occurred_at = e.occurred_at and q.event_id = e.id)
			    limit :batch)
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final boolean citus;

	PendingEvents(JdbcClient jdbc, JsonMapper json, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.json = json;
		this.citus = engine.citus();
	}

	/** Shard by shard on Citus: a worker down holds back only its companies. */
	Set<UUID> companies() {
		if (!this.citus) {
			return new LinkedHashSet<>(
					this.jdbc.sql("select distinct company_id from event_queue").query(UUID.class).list());
		}
		Set<UUID> companies = new LinkedHashSet<>();
		this.jdbc.sql("""
				select shardid, success, result
				from run_command_on_shards('event_queue', $search$
				    select coalesce(json_agg(distinct company_id), '[]') from %s
				    $search$)
				""").query(rs -> {
			if (!rs.getBoolean("success")) {
				long shard = rs.getLong("shardid");
				if (DatabaseFailures.firstThisMinute("event search on shard " + shard)) {
					log.warn("The events left to apply could not be searched on shard {} ({}); its companies "
							+ "wait until it answers (this line once a minute)", shard, rs.getString("result"));
				}
				return;
			}
			for (JsonNode company : this.json.readTree(rs.getString("result"))) {
				companies.add(UUID.fromString(company.asString()));
			}
		});
		return companies;
	}

	/**
	 * Company by company, a batch at a time, so that no statement is long or spans
	 * shards; events not yet applied are kept.
	 */
	long purge(Instant before) {
		return CompanyPurge.run(this.jdbc, "events", PURGE, before, PURGE_BATCH);
	}

}
