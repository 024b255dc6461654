package io.journeys.enrollment;

import java.util.List;
import java.util.Map;

import io.journeys.contact.Emails;
import io.journeys.web.InvalidParameters;
import io.journeys.web.JsonBody;
import io.journeys.web.ValidationErrors;

/**
 * Who an enroll or unenroll request names: contact emails and list emails, as sent. Each
 * check of the contract is its own step, so the service can run them in the contract's
 * order.
 */
record Targets(List<String> contactEmails, List<String> listEmails) {

	static final String CONTACTS = "contact_email_addresses";

	static final String LISTS = "list_email_addresses";

	static final int MAX_CONTACTS = 1000;

	static final int MAX_LISTS = 100;

	static final String BASE = "at least one of contact_email_addresses or list_email_addresses must be provided";

	/**
	 * Reads both fields; a field of the wrong type is a 422 now, before anything is
	 * looked up.
	 */
	static Targets read(JsonBody body) {
		List<String> contacts = body.stringArray(CONTACTS).orElse(List.of());
		List<String> lists = body.stringArray(LISTS).orElse(List.of());
		body.validate();
		return new Targets(contacts, lists);
	}

	boolean withinLimits() {
		return this.contactEmails.size() <= MAX_CONTACTS && this.listEmails.size() <= MAX_LISTS;
	}

	/**
	 * The size limits, counted as sent (before normalization); both faults answer
	 * together.
	 */
	void checkLimits() {
		ValidationErrors errors = new ValidationErrors();
		if (this.contactEmails.size() > MAX_CONTACTS) {
			errors.add(CONTACTS, "is too long (maximum is " + MAX_CONTACTS + ")");
		}
		if (this.listEmails.size() > MAX_LISTS) {
			errors.add(LISTS, "is too long (maximum is " + MAX_LISTS + ")");
		}
		errors.throwIfAny();
	}

	/**
	 * Normalized, deduplicated, empty entries dropped; nothing left at all is the
	 * {@code base} error.
	 */
	Targets normalized() {
		Targets normalized = new Targets(Emails.normalizeAll(this.contactEmails), Emails.normalizeAll(this.listEmails));
		if (normalized.contactEmails.isEmpty() && normalized.listEmails.isEmpty()) {
			throw new InvalidParameters(Map.of("base", List.of(BASE)));
		}
		return normalized;
	}

}
