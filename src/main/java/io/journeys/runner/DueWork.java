package io.journeys.runner;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.persistence.DatabaseEngine;
import io.journeys.persistence.DatabaseFailures;
import io.journeys.persistence.SqlTimes;
import io.journeys.runner.RunnerRepository.DueJourney;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The runner's one search across companies; what follows names one company. */
@Repository
class DueWork {

	private static final Logger log = LoggerFactory.getLogger(DueWork.class);

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final boolean citus;

	DueWork(JdbcClient jdbc, JsonMapper json, DatabaseEngine engine) {
		this.jdbc = jdbc;
		this.json = json;
		this.citus = engine.citus();
	}

	record Backlog(DueJourney journey, long due, Instant oldest) {
	}

	List<Backlog> find(Instant now) {
		if (this.citus) {
			return findShardByShard(now);
		}
		return this.jdbc.sql("""
				select e.company_id, e.journey_id, count(*) as due, min(e.due_at) as oldest
				from enrollments e
				join journeys j on j.company_id = e.company_id and j.id = e.journey_id
				where e.status = 'active' and e.due_at <= :now and j.state = 'on'
				group by e.company_id, e.journey_id
				""")
			.param("now", SqlTimes.bind(now))
			.query((rs, row) -> new Backlog(
					new DueJourney(rs.getObject("company_id", UUID.class), rs.getObject("journey_id", UUID.class)),
					rs.getLong("due"), SqlTimes.read(rs, "oldest")))
			.list();
	}

	/**
	 * Citus fills the two {@code %s}; {@code format} puts the due time in as a literal.
	 */
	private static final String SEARCH_SHARD_BY_SHARD = """
			select nodename, nodeport, success, result
			from run_command_on_colocated_placements('enrollments', 'journeys', format($search$
			    select coalesce(json_agg(json_build_array(company_id, journey_id, due, oldest)), '[]')
			    from (select e.company_id, e.journey_id, count(*) as due,
			                 cast(extract(epoch from min(e.due_at)) * 1000000 as bigint) as oldest
			          from %%s e join %%s j on j.company_id = e.company_id and j.id = e.journey_id
			          where e.status = 'active' and e.due_at <= %L and j.state = 'on'
			          group by e.company_id, e.journey_id) due
			    $search$, cast(:now as timestamptz)))
			""";

	/** Shard group by shard group: a worker down holds back only its companies. */
	private List<Backlog> findShardByShard(Instant now) {
		List<Backlog> backlog = new ArrayList<>();
		this.jdbc.sql(SEARCH_SHARD_BY_SHARD).param("now", SqlTimes.bind(now)).query(rs -> {
			if (!rs.getBoolean("success")) {
				String node = rs.getString("nodename") + ":" + rs.getInt("nodeport");
				if (DatabaseFailures.firstThisMinute("runner search on " + node)) {
					log.warn(
							"The step runner could not search the shards on node {} ({}); the journeys of the "
									+ "companies there wait until it answers (this line once a minute)",
							node, rs.getString("result"));
				}
				return;
			}
			for (JsonNode row : this.json.readTree(rs.getString("result"))) {
				backlog.add(new Backlog(
						new DueJourney(UUID.fromString(row.get(0).asString()), UUID.fromString(row.get(1).asString())),
						row.get(2).asLong(), Instant.EPOCH.plus(row.get(3).asLong(), ChronoUnit.MICROS)));
			}
		});
		return backlog;
	}

}
