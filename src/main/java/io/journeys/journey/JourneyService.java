package io.journeys.journey;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.web.Ids;
import io.journeys.web.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Journeys of a company, and the locks other features take on them. */
@Service
public class JourneyService {

	private final JourneyRepository journeys;

	private final Clock clock;

	JourneyService(JourneyRepository journeys, Clock clock) {
		this.journeys = journeys;
		this.clock = clock;
	}

	@Transactional
	JourneyView create(UUID companyId, String name) {
		Journey journey = new Journey(companyId, name, this.clock.instant());
		this.journeys.save(journey);
		return journey.view();
	}

	@Transactional(readOnly = true)
	List<JourneyView> page(UUID companyId, @Nullable JourneyState state, PageQuery query) {
		return this.journeys.page(companyId, state, query);
	}

	@Transactional(readOnly = true)
	JourneyView get(UUID companyId, String id) {
		return Ids.parse(id)
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new)
			.view();
	}

	@Transactional
	JourneyView update(UUID companyId, String id, @Nullable String name, @Nullable JourneyState state) {
		// FOR UPDATE first: it waits for running enrolls, which hold FOR KEY SHARE, and
		// holds new ones back until this transaction ends.
		Journey journey = Ids.parse(id)
			.filter(uuid -> this.journeys.lockExclusive(companyId, uuid).isPresent())
			.flatMap(uuid -> this.journeys.findByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
		Instant now = this.clock.instant();
		if (name != null) {
			journey.rename(name, now);
		}
		if (state != null) {
			journey.changeState(state, now);
		}
		return journey.view();
	}

	/**
	 * The id of an existing journey of the company; anything else is
	 * {@link JourneyNotFound}.
	 */
	@Transactional(readOnly = true)
	public UUID require(UUID companyId, String id) {
		return Ids.parse(id)
			.filter(uuid -> this.journeys.existsByCompanyIdAndId(companyId, uuid))
			.orElseThrow(JourneyNotFound::new);
	}

	/**
	 * For complete, unenroll and import: locks the journey against running enrolls until
	 * the caller's transaction ends, so a completion cannot slip past an enroll's
	 * re-entry check.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public LockedJourney lockForChanges(UUID companyId, String id) {
		UUID journey = Ids.parse(id).orElseThrow(JourneyNotFound::new);
		JourneyState state = this.journeys.lockExclusive(companyId, journey).orElseThrow(JourneyNotFound::new);
		return new LockedJourney(journey, state);
	}

}
