package io.journeys.lifecycle;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.lifecycle.SubscriptionView.Delivery;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each statement names one company, so that on Citus it runs on the company's shard. */
@Repository
class SubscriptionRepository {

	private final JdbcClient jdbc;

	SubscriptionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID companyId, SubscriptionView subscription, String sealedSecret) {
		this.jdbc.sql("""
				insert into subscriptions (company_id, id, url, event_types, journey_ids, secret, created_at)
				values (:company, :id, :url, :types, :journeys, :secret, :createdAt)
				""")
			.param("company", companyId)
			.param("id", subscription.id())
			.param("url", subscription.url())
			.param("types", subscription.eventTypes().toArray(String[]::new))
			.param("journeys",
					subscription.journeyIds() == null ? null : subscription.journeyIds().toArray(UUID[]::new),
					Types.ARRAY)
			.param("secret", sealedSecret)
			.param("createdAt", SqlTimes.bind(subscription.createdAt()))
			.update();
	}

	/** The ids among {@code journeyIds} that name a journey of the company. */
	List<UUID> existingJourneys(UUID companyId, List<UUID> journeyIds) {
		return this.jdbc.sql("""
				select j.id from journeys j
				where j.company_id = :company and j.id = any(cast(:ids as uuid[]))
				""").param("company", companyId).param("ids", journeyIds.toArray(UUID[]::new)).query(UUID.class).list();
	}

	Optional<SubscriptionView> find(UUID companyId, UUID id) {
		return this.jdbc.sql("""
				select id, url, event_types, journey_ids, created_at
				from subscriptions
				where company_id = :company and id = :id
				""").param("company", companyId).param("id", id).query((rs, row) -> view(rs)).optional();
	}

	List<SubscriptionView> page(UUID companyId, PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select id, url, event_types, journey_ids, created_at
				from subscriptions
				where company_id = :company
				  and (cast(:afterAt as timestamptz) is null or (created_at, id) > (:afterAt, :afterId))
				order by created_at, id
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("limit", query.fetchSize())
			.query((rs, row) -> view(rs))
			.list();
	}

	/** With its deliveries, sent or not: nothing more goes out for it. */
	boolean delete(UUID companyId, UUID id) {
		// the blocks first: an expansion under way holds them, and its deliveries are
		// then deleted too
		this.jdbc.sql("""
				delete from lifecycle_entered_blocks where company_id = :company and subscription_id = :id
				""").param("company", companyId).param("id", id).update();
		this.jdbc.sql("""
				delete from lifecycle_deliveries where company_id = :company and subscription_id = :id
				""").param("company", companyId).param("id", id).update();
		return this.jdbc.sql("""
				delete from subscriptions where company_id = :company and id = :id
				""").param("company", companyId).param("id", id).update() > 0;
	}

	/**
	 * Newest first, by id: ids are time-ordered to the event's millisecond, so the
	 * primary key serves it; the cursor's id is the last row's. The deliveries of blocks
	 * not yet expanded are among them, pending, with the ids they will have.
	 */
	List<Delivery> deliveries(UUID companyId, UUID subscriptionId, PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select id, type, occurred_at, journey_id, enrollment_id, status, attempts, last_attempt_at,
				       last_status, last_error
				from (
				    select id, type, occurred_at, journey_id, enrollment_id, status, attempts, last_attempt_at,
				           last_status, last_error
				    from lifecycle_deliveries
				    where company_id = :company and subscription_id = :subscription
				      and (cast(:afterAt as timestamptz) is null or id < :afterId)
				    union all
				    select p.id, 'enrollment.entered', p.occurred_at, p.journey_id, p.enrollment_id, 'pending', 0,
				           null, null, null
				    from (""" + EnteredBlocks.PENDING_IN_BLOCKS + """
				    ) as p
				    where (cast(:afterAt as timestamptz) is null or p.id < :afterId)
				) as d
				order by id desc
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("subscription", subscriptionId)
			.param("limit", query.fetchSize())
			.query((rs, row) -> new Delivery("delivery", rs.getObject("id", UUID.class),
					OutgoingDeliveries.messageId(rs.getObject("id", UUID.class)), rs.getString("type"),
					SqlTimes.read(rs, "occurred_at"), rs.getObject("journey_id", UUID.class),
					rs.getObject("enrollment_id", UUID.class), rs.getString("status"), rs.getInt("attempts"),
					SqlTimes.read(rs, "last_attempt_at"), (Integer) rs.getObject("last_status"),
					rs.getString("last_error")))
			.list();
	}

	/**
	 * Every event since {@code since} goes out again, with a fresh budget of attempts and
	 * its own {@code webhook-id}. The ids from {@code since}'s millisecond on bound the
	 * primary key's range. The events of blocks not yet expanded are counted in the same
	 * snapshot: they go out anyway, fresh.
	 */
	int replay(UUID companyId, UUID subscriptionId, Instant since, Instant now) {
		return this.jdbc.sql("""
				with replayed as (
				    update lifecycle_deliveries
				    set status = 'pending', due_at = :now, attempts = 0
				    where company_id = :company and id >= :sinceId and subscription_id = :subscription
				      and occurred_at >= :since
				    returning 1
				)
				select (select count(*) from replayed)
				       + (select count(*) from (""" + EnteredBlocks.PENDING_IN_BLOCKS + """
				          ) as p where p.occurred_at >= :since)
				""")
			.param("company", companyId)
			.param("subscription", subscriptionId)
			.param("sinceId", IdBlock.firstAt(since))
			.param("since", SqlTimes.bind(since))
			.param("now", SqlTimes.bind(now))
			.query(Integer.class)
			.single();
	}

	private static SubscriptionView view(ResultSet rs) throws SQLException {
		Array journeys = rs.getArray("journey_ids");
		return new SubscriptionView(SubscriptionView.OBJECT, rs.getObject("id", UUID.class), rs.getString("url"),
				Arrays.asList((String[]) rs.getArray("event_types").getArray()),
				journeys == null ? null : Arrays.asList((UUID[]) journeys.getArray()), SqlTimes.read(rs, "created_at"));
	}

}
