package io.journeys.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.journeys.contact.Emails;
import io.journeys.event.EventRepository.Contact;
import io.journeys.event.EventRepository.Row;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.IdBlock;
import io.journeys.persistence.Ids;
import io.journeys.validation.JsonObjects;
import io.journeys.validation.ValidationErrors;
import io.journeys.web.NotFound;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

@Service
class EventService {

	static final int MAX_EVENTS = 1000;

	static final Duration MAX_AHEAD = Duration.ofMinutes(5);

	private final EventRepository events;

	private final TransactionTemplate transactions;

	private final ObjectProvider<EffectsLoop> effects;

	private final EventMetrics metrics;

	private final Clock clock;

	EventService(EventRepository events, TransactionTemplate transactions, ObjectProvider<EffectsLoop> effects,
			EventMetrics metrics, Clock clock) {
		this.events = events;
		this.metrics = metrics;
		this.transactions = transactions;
		this.effects = effects;
		this.clock = clock;
	}

	/**
	 * Stored in one transaction and answered once committed: from then on, whichever
	 * instance runs next applies their effects.
	 */
	EventBatchResult accept(UUID companyId, List<NewEvent> sent) {
		// microseconds, as PostgreSQL keeps them: a queued event is found again by its
		// time
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		List<String> properties = check(sent, now);
		List<String> emails = sent.stream().map(event -> Emails.normalize(event.contactEmailAddress())).toList();
		Accepted stored = this.transactions.execute(status -> {
			Map<String, UUID> known = this.events.lockContacts(companyId, List.copyOf(new LinkedHashSet<>(emails)))
				.stream()
				.collect(Collectors.toMap(Contact::emailAddress, Contact::id));
			Set<String> listened = this.events.listenedNames(companyId);
			IdBlock ids = IdBlock.at(now);
			List<Row> rows = new ArrayList<>();
			Set<String> notFound = new LinkedHashSet<>();
			for (int i = 0; i < sent.size(); i++) {
				NewEvent event = sent.get(i);
				UUID contact = known.get(emails.get(i));
				if (contact == null) {
					notFound.add(emails.get(i));
					continue;
				}
				UUID id = ids.id(i + 1L);
				rows.add(new Row(id, event.id() != null ? event.id() : id.toString(), contact, event.name(),
						properties.get(i),
						event.occurredAt() != null ? event.occurredAt().truncatedTo(ChronoUnit.MICROS) : now,
						listened.contains(event.name())));
			}
			rows.sort(Comparator.comparing(Row::key));
			int accepted = this.events.insert(companyId, rows, now);
			return new Accepted(new EventBatchResult(accepted, rows.size() - accepted, Emails.inByteOrder(notFound)),
					rows.stream().anyMatch(Row::pending));
		});
		if (stored.pending()) {
			this.effects.ifAvailable(loop -> loop.wake(companyId));
		}
		EventBatchResult result = stored.result();
		this.metrics.received("accepted", result.accepted());
		this.metrics.received("duplicate", result.duplicates());
		this.metrics.received("not_found", sent.size() - result.accepted() - result.duplicates());
		return result;
	}

	private record Accepted(EventBatchResult result, boolean pending) {
	}

	/** The rules Jakarta's constraints cannot say; each event's properties as stored. */
	private List<String> check(List<NewEvent> sent, Instant now) {
		ValidationErrors errors = new ValidationErrors();
		List<String> stored = new ArrayList<>();
		for (int i = 0; i < sent.size(); i++) {
			NewEvent event = sent.get(i);
			String prefix = "events[" + i + "].";
			JsonNode properties = event.properties();
			String text = properties == null ? "{}" : JsonObjects.check(properties, prefix + "properties", errors);
			stored.add(text);
			if (event.occurredAt() != null && event.occurredAt().isAfter(now.plus(MAX_AHEAD))) {
				errors.add(prefix + "occurred_at", "can't be more than 5 minutes in the future");
			}
		}
		errors.throwIfAny();
		return stored;
	}

	List<EventView> page(UUID companyId, String contactId, PageQuery query) {
		UUID contact = Ids.parse(contactId)
			.filter(id -> this.events.contactExists(companyId, id))
			.orElseThrow(() -> new NotFound("Contact"));
		return this.events.page(companyId, contact, query);
	}

}
