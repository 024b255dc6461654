package io.journeys.list;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.journeys.contact.ContactView;
import io.journeys.persistence.ParentDeletedRetry;
import io.journeys.persistence.Ids;
import io.journeys.web.NotFound;
import io.journeys.paging.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class ListService {

	static final int MAX_MEMBERS_PER_CALL = 10_000;

	private final ListRepository lists;

	private final Clock clock;

	private final ParentDeletedRetry parentDeletedRetry;

	ListService(ListRepository lists, Clock clock, ParentDeletedRetry parentDeletedRetry) {
		this.parentDeletedRetry = parentDeletedRetry;
		this.lists = lists;
		this.clock = clock;
	}

	@Transactional
	ListView create(UUID companyId, String name, String email) {
		MailingList list = new MailingList(companyId, name, email, this.clock.instant());
		this.lists.save(list);
		return list.view(0);
	}

	@Transactional(readOnly = true)
	List<ListView> page(UUID companyId, @Nullable String email, PageQuery query) {
		return this.lists.page(companyId, email, query);
	}

	@Transactional(readOnly = true)
	ListView get(UUID companyId, String id) {
		MailingList list = find(companyId, id);
		return list.view(this.lists.membershipsCount(companyId, list.id()));
	}

	@Transactional
	ListView update(UUID companyId, String id, @Nullable String name, @Nullable String email) {
		MailingList list = findForUpdate(companyId, id);
		list.change(name == null ? list.name() : name, email == null ? list.emailAddress() : email,
				this.clock.instant());
		return list.view(this.lists.membershipsCount(companyId, list.id()));
	}

	@Transactional
	void delete(UUID companyId, String id) {
		this.lists.delete(findForUpdate(companyId, id));
	}

	/** A member deleted meanwhile makes the whole add run again; it is then not found. */
	MembersChange.Added addMembers(UUID companyId, String id, List<String> emails) {
		return this.parentDeletedRetry.inTransaction(() -> {
			UUID list = find(id, uuid -> this.lists.lockForMembers(companyId, uuid));
			return this.lists.addMembers(companyId, list, emails, this.clock.instant());
		});
	}

	@Transactional
	MembersChange.Removed removeMembers(UUID companyId, String id, List<String> emails) {
		MailingList list = find(companyId, id);
		return new MembersChange.Removed(emails.isEmpty() ? 0 : this.lists.removeMembers(companyId, list.id(), emails));
	}

	@Transactional(readOnly = true)
	List<ContactView> members(UUID companyId, String id, PageQuery query) {
		MailingList list = find(companyId, id);
		return this.lists.members(companyId, list.id(), query);
	}

	private MailingList find(UUID companyId, String id) {
		return find(id, uuid -> this.lists.findByCompanyIdAndId(companyId, uuid));
	}

	private MailingList findForUpdate(UUID companyId, String id) {
		return find(id, uuid -> this.lists.findForUpdate(companyId, uuid));
	}

	private static <T> T find(String id, Function<UUID, Optional<T>> lookup) {
		return Ids.parse(id).flatMap(lookup).orElseThrow(() -> new NotFound("List"));
	}

}
