package io.journeys.list;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.journeys.auth.ApiCaller;
import io.journeys.contact.EmailAddress;
import io.journeys.contact.ContactView;
import io.journeys.contact.Emails;
import io.journeys.validation.NotBlankWhenSent;
import io.journeys.paging.Page;
import io.journeys.persistence.Keyset;
import io.journeys.paging.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/lists")
class ListController {

	private static final int MAX_NAME = 255;

	record NewList(@NotBlank @Size(max = MAX_NAME) String name,
			@NotBlank @Size(max = Emails.MAX_SENT) @EmailAddress String emailAddress) {
	}

	record ListChanges(@NotBlankWhenSent @Size(max = MAX_NAME) @Nullable String name,
			@NotBlankWhenSent @Size(max = Emails.MAX_SENT) @EmailAddress @Nullable String emailAddress) {
	}

	/** Entries are counted and measured as sent, before they are normalized. */
	record Members(@NotNull @Size(max = ListService.MAX_MEMBERS_PER_CALL,
			message = "{journeys.too-many}") @Nullable List<@Size(max = Emails.MAX_SENT,
					message = "{journeys.entry-too-long}") String> contactEmailAddresses) {

		List<String> normalized() {
			return Emails.normalizeAll(this.contactEmailAddresses);
		}

	}

	private final ListService lists;

	ListController(ListService lists) {
		this.lists = lists;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	ListView create(@AuthenticationPrincipal ApiCaller caller, @RequestBody NewList body) {
		return this.lists.create(caller.companyId(), body.name().strip(), Emails.normalize(body.emailAddress()));
	}

	@GetMapping
	Page<ListView> list(@AuthenticationPrincipal ApiCaller caller,
			@RequestParam(name = "email_address", required = false) @Nullable String email, PageQuery query) {
		String normalized = email == null ? null : Emails.normalize(email);
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("email_address", normalized);
		return Page.of(this.lists.page(caller.companyId(), normalized, query), query,
				list -> new Keyset(list.createdAt(), list.id()), "/v1/lists", filters);
	}

	@GetMapping("/{id}")
	ListView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.lists.get(caller.companyId(), id);
	}

	@PatchMapping("/{id}")
	ListView update(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id, @RequestBody ListChanges body) {
		String name = body.name() == null ? null : body.name().strip();
		String email = body.emailAddress() == null ? null : Emails.normalize(body.emailAddress());
		return this.lists.update(caller.companyId(), id, name, email);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		this.lists.delete(caller.companyId(), id);
	}

	@PostMapping("/{id}/members")
	MembersChange.Added addMembers(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody Members body) {
		return this.lists.addMembers(caller.companyId(), id, body.normalized());
	}

	@DeleteMapping("/{id}/members")
	MembersChange.Removed removeMembers(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody Members body) {
		return this.lists.removeMembers(caller.companyId(), id, body.normalized());
	}

	@GetMapping("/{id}/members")
	Page<ContactView> members(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id, PageQuery query) {
		return Page.of(this.lists.members(caller.companyId(), id, query), query,
				contact -> new Keyset(contact.createdAt(), contact.id()), "/v1/lists/" + id + "/members", Map.of());
	}

}
