package io.journeys.enrollment;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Size;

import io.journeys.contact.Emails;
import io.journeys.validation.AfterLookup;
import io.journeys.validation.InvalidParameters;
import org.jspecify.annotations.Nullable;

/** The limits are counted as sent, once the journey was found (404 first). */
record ContactsAndLists(
		@Size(max = ContactsAndLists.MAX_CONTACTS, message = "{journeys.too-many}",
				groups = AfterLookup.class) List<String> contactEmailAddresses,
		@Size(max = ContactsAndLists.MAX_LISTS, message = "{journeys.too-many}",
				groups = AfterLookup.class) List<String> listEmailAddresses) {

	static final String CONTACTS = "contact_email_addresses";

	static final String LISTS = "list_email_addresses";

	static final int MAX_CONTACTS = 1000;

	static final int MAX_LISTS = 100;

	static final String BASE = "at least one of contact_email_addresses or list_email_addresses must be provided";

	ContactsAndLists(@Nullable List<String> contactEmailAddresses, @Nullable List<String> listEmailAddresses) {
		this.contactEmailAddresses = (contactEmailAddresses != null) ? contactEmailAddresses : List.of();
		this.listEmailAddresses = (listEmailAddresses != null) ? listEmailAddresses : List.of();
	}

	ContactsAndLists normalized() {
		ContactsAndLists normalized = new ContactsAndLists(Emails.normalizeAll(this.contactEmailAddresses),
				Emails.normalizeAll(this.listEmailAddresses));
		if (normalized.contactEmailAddresses.isEmpty() && normalized.listEmailAddresses.isEmpty()) {
			throw new InvalidParameters(Map.of("base", List.of(BASE)));
		}
		return normalized;
	}

}
