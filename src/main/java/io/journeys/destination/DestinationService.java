package io.journeys.destination;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.paging.PageQuery;
import io.journeys.persistence.Ids;
import io.journeys.validation.ValidationErrors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The API's side of destinations: lookups first, then the rules. */
@Service
class DestinationService {

	static final int MAX_PER_SECOND = 100_000;

	private final DestinationRepository repository;

	private final Destinations destinations;

	private final Clock clock;

	DestinationService(DestinationRepository repository, Destinations destinations, Clock clock) {
		this.repository = repository;
		this.destinations = destinations;
		this.clock = clock;
	}

	@Transactional(readOnly = true)
	List<DestinationView> page(UUID companyId, PageQuery query) {
		return this.repository.page(companyId, query, this.clock.instant());
	}

	@Transactional(readOnly = true)
	DestinationView get(UUID companyId, String id) {
		Instant now = this.clock.instant();
		return Ids.parse(id)
			.flatMap(uuid -> this.repository.get(companyId, uuid, now))
			.orElseThrow(DestinationNotFound::new);
	}

	@Transactional
	DestinationView update(UUID companyId, String id, @Nullable String state,
			@Nullable Optional<Integer> maxPerSecond) {
		UUID uuid = Ids.parse(id)
			.filter(candidate -> this.repository.lock(companyId, candidate).isPresent())
			.orElseThrow(DestinationNotFound::new);
		ValidationErrors errors = new ValidationErrors();
		Integer max = maxPerSecond == null ? null : maxPerSecond.orElse(null);
		if (max != null && (max < 1 || max > MAX_PER_SECOND)) {
			errors.add("max_per_second", "must be between 1 and " + MAX_PER_SECOND);
		}
		errors.throwIfAny();
		Instant now = this.clock.instant();
		this.destinations.change(companyId, uuid, state, maxPerSecond, now);
		return this.repository.get(companyId, uuid, now).orElseThrow(DestinationNotFound::new);
	}

}
