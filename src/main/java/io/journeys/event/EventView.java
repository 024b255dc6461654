package io.journeys.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.journeys.persistence.Keyset;

/**
 * {@code id} is the caller's, or ours when none was sent; {@code properties} is the
 * stored JSON, written out as it is; {@code row} is the row's own id, the listing's
 * position.
 */
record EventView(String object, String id, String name, UUID contactId, @JsonRawValue String properties,
		Instant occurredAt, Instant receivedAt, @JsonIgnore UUID row) {

	Keyset position() {
		return new Keyset(this.occurredAt, this.row);
	}

	static final String OBJECT = "event";

}
