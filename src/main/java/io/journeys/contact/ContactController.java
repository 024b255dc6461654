package io.journeys.contact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.journeys.auth.ApiCaller;
import io.journeys.validation.InvalidParameters;
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
@RequestMapping("/v1/contacts")
class ContactController {

	private final ContactService contacts;

	ContactController(ContactService contacts) {
		this.contacts = contacts;
	}

	record ContactBatch(@NotNull @Size(max = ContactService.MAX_BULK,
			message = "{journeys.too-many}") @Valid @Nullable List<NewContact> contacts) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	ContactView create(@AuthenticationPrincipal ApiCaller caller, @RequestBody NewContact body) {
		return this.contacts.create(caller.companyId(), body.normalized());
	}

	@GetMapping
	Page<ContactView> list(@AuthenticationPrincipal ApiCaller caller,
			@RequestParam(name = "email_address", required = false) @Nullable String email,
			@RequestParam(required = false) @Nullable String status, PageQuery query) {
		ContactStatus wanted = status == null ? null : ContactStatus.of(status)
			.orElseThrow(() -> InvalidParameters.of("status", "is not included in the list"));
		String normalized = email == null ? null : Emails.normalize(email);
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("email_address", normalized);
		filters.put("status", status);
		return Page.of(this.contacts.page(caller.companyId(), normalized, wanted, query), query,
				contact -> new Keyset(contact.createdAt(), contact.id()), "/v1/contacts", filters);
	}

	@GetMapping("/{id}")
	ContactView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.contacts.get(caller.companyId(), id);
	}

	@PatchMapping("/{id}")
	ContactView update(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody ContactChanges body) {
		return this.contacts.update(caller.companyId(), id, body);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		this.contacts.delete(caller.companyId(), id);
	}

	@PostMapping("/bulk")
	BulkResult bulk(@AuthenticationPrincipal ApiCaller caller, @RequestBody ContactBatch body) {
		return this.contacts.upsert(caller.companyId(), body.contacts().stream().map(NewContact::normalized).toList());
	}

}
