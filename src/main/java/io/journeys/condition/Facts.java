package io.journeys.condition;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** What a {@link Condition} is evaluated against. */
public interface Facts {

	/** The event's properties: an object, possibly empty. */
	JsonNode properties();

	/** The contact's attributes: an object, empty until contacts have attributes. */
	default JsonNode attributes() {
		return JsonNodeFactory.instance.objectNode();
	}

	/** The time the condition is evaluated at: the event's {@code occurred_at}. */
	Instant at();

	/**
	 * Whether the contact had an event so named that occurred in {@code [from, to]} and
	 * whose properties match {@code where} (any such event when it is null).
	 */
	boolean hadEvent(String name, Instant from, Instant to, @Nullable Condition where);

	/** Facts read from a list of the contact's past events. */
	static Facts of(JsonNode properties, Instant at, List<PastEvent> history) {
		return of(properties, at,
				(name, from, to) -> history.stream()
					.filter(event -> event.name().equals(name) && !event.occurredAt().isBefore(from)
							&& !event.occurredAt().isAfter(to))
					.toList());
	}

	/**
	 * Facts whose past events come from {@code history}: {@code where} is evaluated over
	 * each past event's properties, at its {@code occurredAt}, with the same history.
	 */
	static Facts of(JsonNode properties, Instant at, History history) {
		return of(properties, JsonNodeFactory.instance.objectNode(), at, history);
	}

	/**
	 * Facts of a contact: its {@code attributes} (an object) as well as its past events,
	 * as a branch reads them. An event's {@code where} reads only the event's properties.
	 */
	static Facts of(JsonNode properties, JsonNode attributes, Instant at, History history) {
		return new Facts() {

			@Override
			public JsonNode properties() {
				return properties;
			}

			@Override
			public JsonNode attributes() {
				return attributes;
			}

			@Override
			public Instant at() {
				return at;
			}

			@Override
			public boolean hadEvent(String name, Instant from, Instant to, @Nullable Condition where) {
				return history.between(name, from, to)
					.stream()
					.anyMatch(event -> where == null
							|| where.matches(of(event.properties(), event.occurredAt(), history)));
			}

		};
	}

	/** A contact's events of one name that occurred in {@code [from, to]}. */
	@FunctionalInterface
	interface History {

		List<PastEvent> between(String name, Instant from, Instant to);

	}

	record PastEvent(String name, Instant occurredAt, JsonNode properties) {
	}

}
