package io.journeys.contact;

import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.journeys.persistence.Ids;
import io.journeys.validation.InvalidParameters;
import io.journeys.validation.JsonObjects;
import io.journeys.validation.TimeZones;
import io.journeys.validation.ValidationErrors;
import io.journeys.web.NotFound;
import io.journeys.paging.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.annotation.Transactional;

@Service
class ContactService {

	static final int MAX_BULK = 10_000;

	static final String TOO_LARGE_MERGED = "is too large once merged with the stored attributes "
			+ "(maximum is 16 KiB as JSON)";

	private final ContactRepository contacts;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	ContactService(ContactRepository contacts, Clock clock, ApplicationEventPublisher events) {
		this.contacts = contacts;
		this.clock = clock;
		this.events = events;
	}

	/** The body's own rules, before any lookup. */
	@Transactional
	ContactView create(UUID companyId, NewContact contact) {
		ValidationErrors errors = new ValidationErrors();
		AttributeChanges attributes = AttributeChanges.check(contact.attributes(), "attributes", errors);
		ZoneId zone = zone(contact.timeZone(), "time_zone", errors);
		errors.throwIfAny();
		this.contacts.lockEmails(companyId);
		if (this.contacts.existsByCompanyIdAndEmailAddress(companyId, contact.emailAddress())) {
			throw InvalidParameters.of("email_address", "has already been taken");
		}
		ContactStatus status = contact.status() == null ? ContactStatus.ACTIVE : contact.status();
		Contact created = new Contact(companyId, contact.emailAddress(), contact.firstName(), contact.lastName(),
				status, attributes == null ? "{}" : attributes.set(), zone, this.clock.instant());
		if (attributes == null) {
			this.contacts.save(created);
			return created.view();
		}
		this.contacts.saveAndFlush(created);
		return created.view(this.contacts.storedAttributes(companyId, created.id()));
	}

	@Transactional(readOnly = true)
	List<ContactView> page(UUID companyId, @Nullable String email, @Nullable ContactStatus status, PageQuery query) {
		return this.contacts.page(companyId, email, status, query);
	}

	@Transactional(readOnly = true)
	ContactView get(UUID companyId, String id) {
		return find(companyId, id).view();
	}

	/**
	 * The body's own rules come before the lookup (docs/api.md); the size of the merged
	 * attributes, which needs the contact, after it.
	 */
	@Transactional
	ContactView update(UUID companyId, String id, ContactChanges changes) {
		ValidationErrors errors = new ValidationErrors();
		AttributeChanges attributes = AttributeChanges.check(changes.attributes(), "attributes", errors);
		Optional<ZoneId> zone = changes.timeZone() == null ? null
				: changes.timeZone().map(name -> TimeZones.region(name, "time_zone", errors));
		errors.throwIfAny();
		Contact contact = findForUpdate(companyId, id);
		String merged = null;
		if (attributes != null) {
			merged = attributes.mergeInto(contact.attributes());
			if (!JsonObjects.fits(merged)) {
				throw InvalidParameters.of("attributes", TOO_LARGE_MERGED);
			}
		}
		String zoneBefore = contact.timeZone();
		contact.apply(changes, merged, zone, this.clock.instant());
		if (!Objects.equals(zoneBefore, contact.timeZone())) {
			this.events.publishEvent(new TimeZonesChanged(companyId, List.of(contact.emailAddress())));
		}
		if (merged == null) {
			return contact.view();
		}
		this.contacts.flush();
		return contact.view(this.contacts.storedAttributes(companyId, contact.id()));
	}

	@Transactional
	void delete(UUID companyId, String id) {
		Contact contact = findForUpdate(companyId, id);
		this.contacts.deleteWhatItOwns(companyId, contact.id());
		this.contacts.delete(contact);
	}

	/**
	 * All or nothing; the last entry wins when an email repeats. Every entry's own rules
	 * first, then the size of the attributes each existing contact would have.
	 */
	@Transactional
	BulkResult upsert(UUID companyId, List<NewContact> batch) {
		ValidationErrors errors = new ValidationErrors();
		LinkedHashMap<String, ContactUpsert> byEmail = new LinkedHashMap<>();
		for (int i = 0; i < batch.size(); i++) {
			NewContact contact = batch.get(i);
			String prefix = "contacts[" + i + "].";
			AttributeChanges attributes = AttributeChanges.check(contact.attributes(), prefix + "attributes", errors);
			ZoneId zone = zone(contact.timeZone(), prefix + "time_zone", errors);
			byEmail.put(contact.emailAddress(), new ContactUpsert(i, contact, attributes, zone));
		}
		errors.throwIfAny();
		if (byEmail.isEmpty()) {
			return new BulkResult(0, 0);
		}
		this.contacts.lockEmails(companyId);
		List<ContactUpsert> upserts = List.copyOf(byEmail.values());
		checkMergedAttributes(companyId, upserts);
		Map<String, String> zones = new HashMap<>();
		upserts.stream()
			.filter(upsert -> upsert.timeZone() != null)
			.forEach(upsert -> zones.put(upsert.emailAddress(), upsert.timeZone().getId()));
		List<String> rezoned = zones.isEmpty() ? List.of() : this.contacts.rezoned(companyId, zones);
		if (!rezoned.isEmpty()) {
			this.events.publishEvent(new TimeZonesChanged(companyId, rezoned));
		}
		return this.contacts.upsert(companyId, upserts, this.clock.instant());
	}

	/**
	 * Under the emails' lock no contact appears meanwhile; a {@code PATCH} of the same
	 * contact may still add to its attributes before the upsert commits.
	 */
	private void checkMergedAttributes(UUID companyId, List<ContactUpsert> upserts) {
		List<String> merging = upserts.stream()
			.filter(upsert -> upsert.attributes() != null)
			.map(ContactUpsert::emailAddress)
			.toList();
		if (merging.isEmpty()) {
			return;
		}
		Map<String, String> stored = this.contacts.attributesByEmail(companyId, merging);
		ValidationErrors errors = new ValidationErrors();
		for (ContactUpsert upsert : upserts) {
			String before = stored.get(upsert.emailAddress());
			if (upsert.attributes() != null && before != null
					&& !JsonObjects.fits(upsert.attributes().mergeInto(before))) {
				errors.add("contacts[" + upsert.position() + "].attributes", TOO_LARGE_MERGED);
			}
		}
		errors.throwIfAny();
	}

	private static @Nullable ZoneId zone(@Nullable String sent, String field, ValidationErrors errors) {
		return sent == null ? null : TimeZones.region(sent, field, errors);
	}

	private Contact find(UUID companyId, String id) {
		return find(id, uuid -> this.contacts.findByCompanyIdAndId(companyId, uuid));
	}

	private Contact findForUpdate(UUID companyId, String id) {
		return find(id, uuid -> this.contacts.findForUpdate(companyId, uuid));
	}

	private static <T> T find(String id, Function<UUID, Optional<T>> lookup) {
		return Ids.parse(id).flatMap(lookup).orElseThrow(() -> new NotFound("Contact"));
	}

}
