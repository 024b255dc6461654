package io.journeys.contact;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.journeys.persistence.Ids;
import io.journeys.validation.InvalidParameters;
import io.journeys.web.NotFound;
import io.journeys.paging.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class ContactService {

	static final int MAX_BULK = 10_000;

	private final ContactRepository contacts;

	private final Clock clock;

	ContactService(ContactRepository contacts, Clock clock) {
		this.contacts = contacts;
		this.clock = clock;
	}

	@Transactional
	ContactView create(UUID companyId, NewContact contact) {
		this.contacts.lockEmails(companyId);
		if (this.contacts.existsByCompanyIdAndEmailAddress(companyId, contact.emailAddress())) {
			throw InvalidParameters.of("email_address", "has already been taken");
		}
		ContactStatus status = contact.status() == null ? ContactStatus.ACTIVE : contact.status();
		Contact created = new Contact(companyId, contact.emailAddress(), contact.firstName(), contact.lastName(),
				status, this.clock.instant());
		this.contacts.save(created);
		return created.view();
	}

	@Transactional(readOnly = true)
	List<ContactView> page(UUID companyId, @Nullable String email, @Nullable ContactStatus status, PageQuery query) {
		return this.contacts.page(companyId, email, status, query);
	}

	@Transactional(readOnly = true)
	ContactView get(UUID companyId, String id) {
		return find(companyId, id).view();
	}

	@Transactional
	ContactView update(UUID companyId, String id, ContactChanges changes) {
		Contact contact = findForUpdate(companyId, id);
		contact.apply(changes, this.clock.instant());
		return contact.view();
	}

	@Transactional
	void delete(UUID companyId, String id) {
		Contact contact = findForUpdate(companyId, id);
		this.contacts.deleteWhatItOwns(companyId, contact.id());
		this.contacts.delete(contact);
	}

	/** All or nothing; the last entry wins when an email repeats. */
	@Transactional
	BulkResult upsert(UUID companyId, List<NewContact> batch) {
		LinkedHashMap<String, NewContact> byEmail = new LinkedHashMap<>();
		for (NewContact contact : batch) {
			byEmail.put(contact.emailAddress(), contact);
		}
		if (byEmail.isEmpty()) {
			return new BulkResult(0, 0);
		}
		this.contacts.lockEmails(companyId);
		return this.contacts.upsert(companyId, List.copyOf(byEmail.values()), this.clock.instant());
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
