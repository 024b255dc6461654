package io.journeys.contact;

import org.jspecify.annotations.Nullable;

/** A contact to create or upsert: email normalized; absent fields are null. */
record NewContact(String emailAddress, @Nullable String firstName, @Nullable String lastName,
		@Nullable ContactStatus status) {

}
