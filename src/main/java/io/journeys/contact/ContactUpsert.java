package io.journeys.contact;

import java.time.ZoneId;

import org.jspecify.annotations.Nullable;

/**
 * One contact of a bulk upsert, checked: {@code position} in the request (from 0),
 * {@code attributes} and {@code timeZone} {@code null} when not sent (kept as stored).
 */
record ContactUpsert(int position, NewContact contact, @Nullable AttributeChanges attributes,
		@Nullable ZoneId timeZone) {

	String emailAddress() {
		return this.contact.emailAddress();
	}

}
