package io.journeys.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.journeys.persistence.IdBlock;
import io.journeys.persistence.SqlTimes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An enroll's {@code enrollment.entered} events, one block per subscription until the
 * sender expands it: written by the enroll statement itself, so that an enroll of 100,000
 * contacts writes 100,000 enrollments and not 100,000 more rows
 * (bench/results/2026-12-07-entered-blocks.md); expanded a block per transaction by the
 * lifecycle sender; read as pending deliveries by the delivery log and replay; written
 * out for a contact before its delete. Every statement names {@code company_id =
 * :company}, so on Citus it runs on the company's shard.
 */
@Component
public class EnteredBlocks {

	/**
	 * One {@code lifecycle_entered_blocks} row per subscription that wants the journey's
	 * {@code enrollment.entered}: its deliveries' id block is the statement's, each
	 * subscription's 2<sup>40</sup> ids apart.
	 */
	private static final String ENTERED_BLOCKS = """
			insert into lifecycle_entered_blocks (company_id, id, subscription_id, journey_id, occurred_at,
			                                      first_enrollment_id, last_enrollment_id, event_prefix, event_base)
			select s.company_id,
			       cast(cast(:eventPrefix as text)
			            || to_hex(cast(:eventBase as bigint)
			                      + (row_number() over (partition by s.company_id order by s.id) - 1)
			                        * cast(:blockSize as bigint)) as uuid),
			       s.id, :journey, :now, :firstId, :lastId, :eventPrefix,
			       cast(:eventBase as bigint)
			           + (row_number() over (partition by s.company_id order by s.id) - 1) * cast(:blockSize as bigint)
			from subscriptions s
			where s.company_id = :company and 'enrollment.entered' = any(s.event_types)
			  and (s.journey_ids is null or cast(:journey as uuid) = any(s.journey_ids))
			""";

	/**
	 * The last CTE of an enroll statement on one server: the {@code enrollment.entered}
	 * block of the rows its {@code inserted} CTE returns, if it returns any. Parameters:
	 * {@code company}, {@code journey}, {@code now} and those of {@link #enteredBlock}.
	 */
	public static final String ANNOUNCE_INSERTED = "announced as (\n" + ENTERED_BLOCKS
			+ "  and exists (select 1 from inserted)\n)\n";

	/**
	 * The deliveries blocks stand for: one per enrollment of a block's id span enrolled
	 * in its journey at its time, whatever the enrollment's state since (it did enter),
	 * for a subscription that still exists. The caller adds which ({@code and …}).
	 * Delivery {@code n} is the enrollment whose id is the {@code n}th of the span (the
	 * last 64 bits of the ids count up from the first's), so a delivery's id is the same
	 * whenever and however often it is computed, whichever enrollments are gone by then.
	 */
	private static final String BLOCK_DELIVERIES_FROM = """
			select e.company_id,
			       cast(b.event_prefix
			            || to_hex(b.event_base + 1
			                      + (cast(cast('x' || substr(replace(cast(e.id as text), '-', ''), 17) as bit(64)) as bigint)
			                         - cast(cast('x' || substr(replace(cast(b.first_enrollment_id as text), '-', ''), 17)
			                                     as bit(64)) as bigint))) as uuid) as id,
			       b.subscription_id, b.occurred_at, b.journey_id, e.id as enrollment_id, e.contact_id
			from lifecycle_entered_blocks b
			join subscriptions s on s.company_id = b.company_id and s.id = b.subscription_id
			join {enrollments} as e on e.company_id = b.company_id
			     and e.id between b.first_enrollment_id and b.last_enrollment_id
			     and e.enrolled_at = b.occurred_at and e.journey_id = b.journey_id
			where b.company_id = :company and s.company_id = :company and e.company_id = :company
			""";

	/** {@code enrollments}: the table, or a subquery of it. */
	private static String blockDeliveries(String enrollments) {
		return BLOCK_DELIVERIES_FROM.replace("{enrollments}", enrollments);
	}

	static final String BLOCK_DELIVERIES = blockDeliveries("enrollments");

	/**
	 * The deliveries of one subscription's blocks not yet expanded, as the delivery log
	 * shows them (pending, not yet tried).
	 */
	static final String PENDING_IN_BLOCKS = BLOCK_DELIVERIES + "  and b.subscription_id = :subscription\n";

	/**
	 * Writes the deliveries {@code deliveries} selects (blocks' deliveries, and which);
	 * one written already (by a contact's delete, or an expansion racing it) is skipped.
	 */
	private static String expand(String deliveries) {
		return """
				insert into lifecycle_deliveries (company_id, id, subscription_id, type, occurred_at, journey_id,
				                                  enrollment_id, contact_id, due_at)
				select x.company_id, x.id, x.subscription_id, 'enrollment.entered', x.occurred_at, x.journey_id,
				       x.enrollment_id, x.contact_id, x.occurred_at
				from (""" + deliveries + """
				) as x
				on conflict do nothing
				""";
	}

	/**
	 * The deliveries, in blocks not yet expanded, of enrollments about to be deleted (a
	 * contact's): the expansion would no longer find them. By their ids, each a probe of
	 * the primary key ({@code offset 0} keeps the planner from reading each block's span
	 * instead, as it did on statistics that said the tables were empty).
	 */
	static final String ENTERED_OF_ENROLLMENTS = expand(blockDeliveries("""
			(select * from enrollments
			 where company_id = :company and id = any(cast(:enrollments as uuid[])) offset 0)"""));

	/**
	 * The company's oldest blocks, not locked: which to expand next; one whose expansion
	 * failed waits its time.
	 */
	private static final String BLOCKS = """
			select b.id from lifecycle_entered_blocks b
			where b.company_id = :company and (b.expand_after is null or b.expand_after <= :now)
			order by b.id
			limit :limit
			""";

	/**
	 * Blocks held until the expansion commits: one that another instance is expanding is
	 * skipped.
	 */
	private static final String TAKE_BLOCKS = """
			select b.id from lifecycle_entered_blocks b
			where b.company_id = :company and b.id = any(cast(:blocks as uuid[]))
			for update skip locked
			""";

	/** One whose subscription is gone expands to nothing. */
	static final String EXPAND_BLOCKS = expand(BLOCK_DELIVERIES + "  and b.id = any(cast(:blocks as uuid[]))\n");

	private static final String DROP_BLOCKS = """
			delete from lifecycle_entered_blocks b
			where b.company_id = :company and b.id = any(cast(:blocks as uuid[]))
			""";

	private final JdbcClient jdbc;

	EnteredBlocks(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The {@code enrollment.entered} block of the rows one enroll inserted with ids of
	 * {@code enrollmentIds} at {@code now}, on the enroll's own connection (the enroll
	 * pools are data sources of their own); for an enroll that inserted some.
	 */
	public static int entered(JdbcClient jdbc, UUID companyId, UUID journeyId, IdBlock enrollmentIds, Instant now) {
		return jdbc.sql(ENTERED_BLOCKS)
			.params(enteredBlock(enrollmentIds, now))
			.param("company", companyId)
			.param("journey", journeyId)
			.param("now", SqlTimes.bind(now))
			.update();
	}

	/**
	 * The parameters of an {@code enrollment.entered} block but the company, journey and
	 * time: the enrollments' id span and a new block of ids for the deliveries.
	 */
	public static Map<String, Object> enteredBlock(IdBlock enrollmentIds, Instant now) {
		IdBlock events = IdBlock.at(now);
		return Map.of("firstId", enrollmentIds.first(), "lastId", enrollmentIds.last(), "eventPrefix", events.prefix(),
				"eventBase", events.base(), "blockSize", IdBlock.SIZE);
	}

	/**
	 * Before enrollments are deleted (a contact's, in the delete's transaction): their
	 * {@code enrollment.entered} deliveries still in blocks, written now.
	 */
	public int enteredOfDeleted(UUID companyId, List<UUID> enrollmentIds) {
		if (enrollmentIds.isEmpty()) {
			return 0;
		}
		return this.jdbc.sql(ENTERED_OF_ENROLLMENTS)
			.param("company", companyId)
			.param("enrollments", enrollmentIds.toArray(UUID[]::new))
			.update();
	}

	/**
	 * The company's oldest {@code enrollment.entered} blocks due for expansion at
	 * {@code now}, at most {@code limit}.
	 */
	public List<UUID> blocks(UUID companyId, Instant now, int limit) {
		return this.jdbc.sql(BLOCKS)
			.param("company", companyId)
			.param("now", SqlTimes.bind(now))
			.param("limit", limit)
			.query(UUID.class)
			.list();
	}

	/** A block whose expansion failed waits until {@code until}. */
	public void deferBlock(UUID companyId, UUID block, Instant until) {
		this.jdbc.sql("""
				update lifecycle_entered_blocks set expand_after = :until
				where company_id = :company and id = :block
				""").param("company", companyId).param("block", block).param("until", SqlTimes.bind(until)).update();
	}

	/**
	 * Expands these of the company's {@code enrollment.entered} blocks into their
	 * deliveries, in the caller's transaction; one gone, or held by another instance, is
	 * skipped. How many deliveries it wrote.
	 */
	public int expandEntered(UUID companyId, List<UUID> blocks) {
		List<UUID> taken = this.jdbc.sql(TAKE_BLOCKS)
			.param("company", companyId)
			.param("blocks", blocks.toArray(UUID[]::new))
			.query(UUID.class)
			.list();
		if (taken.isEmpty()) {
			return 0;
		}
		UUID[] ids = taken.toArray(UUID[]::new);
		int written = this.jdbc.sql(EXPAND_BLOCKS).param("company", companyId).param("blocks", ids).update();
		this.jdbc.sql(DROP_BLOCKS).param("company", companyId).param("blocks", ids).update();
		return written;
	}

	/**
	 * The company's oldest {@code limit} blocks, expanded in the caller's transaction.
	 */
	public int expandEntered(UUID companyId, Instant now, int limit) {
		return expandEntered(companyId, blocks(companyId, now, limit));
	}

}
