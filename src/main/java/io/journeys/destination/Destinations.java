package io.journeys.destination;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.journeys.destination.DestinationRepository.Counts;
import io.journeys.destination.DestinationRepository.Row;
import io.journeys.ratelimit.CompanyBuckets;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The runner asks for a {@link Gate} once per pass over a webhook step, lets each batch
 * through it ({@link #pass}, {@link #take}) in the batch's transaction, and reports the
 * pass's calls afterwards ({@link #recordCalls}), in a transaction of their own.
 */
@Service
public class Destinations {

	static final String ACTIVE = "active";

	static final String PAUSED = "paused";

	static final String FAILING = "failing";

	static final String MANUAL = "manual";

	/** The bucket holds a tenth of a second's worth. */
	private static final int BURST_PARTS = 10;

	private static final Logger log = LoggerFactory.getLogger(Destinations.class);

	private final DestinationRepository destinations;

	private final CompanyBuckets buckets;

	private final DestinationProperties properties;

	private final ApplicationEventPublisher events;

	/** One proxy per destination and limit: a changed limit starts a full bucket. */
	private final Cache<String, BucketProxy> proxies = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	Destinations(DestinationRepository destinations, DataSource dataSource, DestinationProperties properties,
			ApplicationEventPublisher events) {
		this.destinations = destinations;
		// the API rate limit's table, under keys of their own
		this.buckets = new CompanyBuckets(dataSource,
				ClientSideConfig.getDefault()
					.withExpirationAfterWriteStrategy(
							ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(5)))
					.withRequestTimeout(Duration.ofSeconds(2)));
		this.properties = properties;
		this.events = events;
	}

	/**
	 * Makes the URLs' origins destinations, in the caller's transaction; known ones stay
	 * as they are.
	 */
	public void register(UUID companyId, Collection<String> urls, Instant now) {
		urls.stream()
			.map(Origin::of)
			.flatMap(Optional::stream)
			.distinct()
			.forEach(origin -> this.destinations.register(companyId, origin, now));
	}

	public Gate gate(UUID companyId, String url, Instant now) {
		Optional<String> origin = Origin.of(url);
		if (origin.isEmpty()) {
			return Gate.open(null);
		}
		Row row = this.destinations.findByOrigin(companyId, origin.get()).orElseGet(() -> {
			this.destinations.register(companyId, origin.get(), now);
			return this.destinations.findByOrigin(companyId, origin.get()).orElseThrow();
		});
		if (row.paused()) {
			boolean probe = FAILING.equals(row.pausedReason()) && row.probeAt() != null && !row.probeAt().isAfter(now);
			return new Gate(row.id(), probe ? Gate.Kind.PROBE : Gate.Kind.CLOSED, null);
		}
		return row.maxPerSecond() == null ? Gate.open(row.id())
				: new Gate(row.id(), Gate.Kind.LIMITED, row.maxPerSecond());
	}

	/**
	 * Whether this batch may go through its gate: a probe gate once a minute across all
	 * instances (claimed here, in the batch's transaction, only once there is a row to
	 * call), another while its destination is not paused meanwhile (by another instance's
	 * breaker or by hand).
	 */
	public boolean pass(UUID companyId, Gate gate, Instant now) {
		UUID id = gate.destinationId();
		if (id == null) {
			return true;
		}
		if (gate.probe()) {
			return this.destinations.claimProbe(companyId, id, now, now.plus(this.properties.probeInterval()));
		}
		return !this.destinations.isPaused(companyId, id);
	}

	/**
	 * Takes up to {@code wanted} tokens of a limited gate's bucket, shared through the
	 * database by every instance and refilled continuously at the limit. It holds a tenth
	 * of a second's worth: after a runner's pass was slow, the calls it missed are not
	 * made up in a burst, so no second carries more than the limit and a tenth.
	 */
	public int take(UUID companyId, Gate gate, int wanted) {
		if (gate.kind() != Gate.Kind.LIMITED || gate.maxPerSecond() == null || gate.destinationId() == null
				|| wanted == 0) {
			return wanted;
		}
		int limit = gate.maxPerSecond();
		String key = "destination:" + gate.destinationId() + ":" + limit + "/s";
		BucketProxy bucket = this.proxies.get(key,
				id -> this.buckets.builder()
					.build(new CompanyBuckets.Key(companyId, id),
							() -> BucketConfiguration.builder().addLimit(bandwidth(limit)).build()));
		return (int) bucket.tryConsumeAsMuchAsPossible(wanted);
	}

	static Bandwidth bandwidth(int perSecond) {
		int capacity = Math.max(1, (perSecond + BURST_PARTS - 1) / BURST_PARTS);
		return Bandwidth.builder()
			.capacity(capacity)
			.refillGreedy(capacity, Duration.ofNanos(1_000_000_000L * capacity / perSecond))
			.initialTokens(capacity)
			.build();
	}

	/**
	 * Counts a batch's calls; a probe that succeeded resumes the destination, and a batch
	 * that failed whole pauses it when every call of the window failed, enough of them.
	 */
	public Optional<DestinationChange> recordCalls(UUID companyId, Gate gate, int calls, int failures, Instant now) {
		UUID id = gate.destinationId();
		if (id == null || calls == 0) {
			return Optional.empty();
		}
		this.destinations.count(companyId, id, now, calls, failures);
		if (gate.probe()) {
			return failures == 0 ? resume(companyId, id, now) : Optional.empty();
		}
		if (failures < calls) {
			return Optional.empty();
		}
		Row row = this.destinations.lock(companyId, id).orElse(null);
		if (row == null || row.paused()) {
			return Optional.empty();
		}
		Instant from = now.minus(this.properties.failureWindow());
		if (row.resumedAt() != null && row.resumedAt().isAfter(from)) {
			from = row.resumedAt();
		}
		Counts counts = this.destinations.countsAfter(companyId, id, from);
		if (counts.calls() < this.properties.failureThreshold() || counts.failures() < counts.calls()) {
			return Optional.empty();
		}
		this.destinations.save(companyId, new Row(id, row.origin(), PAUSED, FAILING, now, row.resumedAt(),
				now.plus(this.properties.probeInterval()), row.maxPerSecond(), row.createdAt(), now));
		log.warn(
				"Destination {} of company {} is paused: its last {} calls within {} all failed; "
						+ "one probe call every {} resumes it when it succeeds",
				row.origin(), companyId, counts.calls(), this.properties.failureWindow(),
				this.properties.probeInterval());
		return publish(new DestinationChange(companyId, id, row.origin(), true, FAILING, now));
	}

	/** Only from a failing pause: one by hand meanwhile stays. */
	private Optional<DestinationChange> resume(UUID companyId, UUID id, Instant now) {
		Row row = this.destinations.lock(companyId, id).orElse(null);
		if (row == null || !FAILING.equals(row.pausedReason())) {
			return Optional.empty();
		}
		this.destinations.save(companyId, resumed(row, now));
		log.info("Destination {} of company {} resumed: a probe call succeeded", row.origin(), companyId);
		return publish(new DestinationChange(companyId, id, row.origin(), false, null, now));
	}

	private static Row resumed(Row row, Instant now) {
		return new Row(row.id(), row.origin(), ACTIVE, null, null, now, null, row.maxPerSecond(), row.createdAt(), now);
	}

	private Optional<DestinationChange> publish(DestinationChange change) {
		this.events.publishEvent(change);
		return Optional.of(change);
	}

	/** The origins among the URLs' whose destination is paused. */
	public Set<String> pausedUrls(UUID companyId, Collection<String> urls) {
		List<String> origins = urls.stream().map(Origin::of).flatMap(Optional::stream).distinct().toList();
		Set<String> pausedOrigins = new HashSet<>();
		if (!origins.isEmpty()) {
			this.destinations.byOrigins(companyId, origins)
				.stream()
				.filter(Row::paused)
				.forEach(row -> pausedOrigins.add(row.origin()));
		}
		Set<String> paused = new HashSet<>();
		urls.forEach(url -> Origin.of(url).filter(pausedOrigins::contains).ifPresent(origin -> paused.add(url)));
		return paused;
	}

	/**
	 * {@code state} null: kept; {@code maxPerSecond} null: kept, empty: no limit. Pausing
	 * by hand stops the probes; resuming by hand counts only the calls after it.
	 */
	Optional<DestinationChange> change(UUID companyId, UUID id, @Nullable String state,
			@Nullable Optional<Integer> maxPerSecond, Instant now) {
		Row row = this.destinations.lock(companyId, id).orElseThrow(DestinationNotFound::new);
		Integer max = maxPerSecond == null ? row.maxPerSecond() : maxPerSecond.orElse(null);
		DestinationChange change = null;
		Row changed = new Row(row.id(), row.origin(), row.state(), row.pausedReason(), row.pausedAt(), row.resumedAt(),
				row.probeAt(), max, row.createdAt(), now);
		if (PAUSED.equals(state) && !MANUAL.equals(row.pausedReason())) {
			changed = new Row(row.id(), row.origin(), PAUSED, MANUAL, row.paused() ? row.pausedAt() : now,
					row.resumedAt(), null, max, row.createdAt(), now);
			if (!row.paused()) {
				change = new DestinationChange(companyId, id, row.origin(), true, MANUAL, now);
			}
		}
		else if (ACTIVE.equals(state) && row.paused()) {
			changed = resumed(new Row(row.id(), row.origin(), row.state(), row.pausedReason(), row.pausedAt(),
					row.resumedAt(), row.probeAt(), max, row.createdAt(), now), now);
			change = new DestinationChange(companyId, id, row.origin(), false, null, now);
		}
		this.destinations.save(companyId, changed);
		if (change != null) {
			log.info("Destination {} of company {} {} by hand", row.origin(), companyId,
					change.paused() ? "paused" : "resumed");
			return publish(change);
		}
		return Optional.empty();
	}

}
