package io.journeys.enrollment;

import java.util.List;

import jakarta.validation.constraints.Size;

import io.journeys.validation.AfterLookup;
import org.jspecify.annotations.Nullable;

/** The limit is checked once the journey was found (404 first). */
record Completion(@Size(max = ContactsAndLists.MAX_CONTACTS, message = "{journeys.too-many}",
		groups = AfterLookup.class) List<String> contactEmailAddresses) {

	Completion(@Nullable List<String> contactEmailAddresses) {
		this.contactEmailAddresses = (contactEmailAddresses != null) ? contactEmailAddresses : List.of();
	}

}
