package io.journeys.list;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.journeys.auth.ApiCaller;
import io.journeys.contact.ContactView;
import io.journeys.web.Cursor;
import io.journeys.contact.Emails;
import io.journeys.web.JsonBody;
import io.journeys.web.Page;
import io.journeys.web.PageQuery;
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
import tools.jackson.databind.JsonNode;

/** {@code /v1/lists} and their members. */
@RestController
@RequestMapping("/v1/lists")
class ListController {

	private static final int MAX_NAME = 255;

	private static final String MEMBERS = "contact_email_addresses";

	/**
	 * The longest entry taken, as sent: a stored address has at most
	 * {@link Emails#MAX_LENGTH} characters, and whitespace around it is trimmed.
	 */
	private static final int MAX_MEMBER_EMAIL = 1000;

	private final ListService lists;

	ListController(ListService lists) {
		this.lists = lists;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	ListView create(@AuthenticationPrincipal ApiCaller caller, @RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		String name = fields.requiredString("name", MAX_NAME).map(String::strip).orElse("");
		String email = listEmail(fields, true).orElse("");
		fields.validate();
		return this.lists.create(caller.companyId(), name, email);
	}

	@GetMapping
	Page<ListView> list(@AuthenticationPrincipal ApiCaller caller,
			@RequestParam(name = "email_address", required = false) @Nullable String email,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		PageQuery query = PageQuery.of(limit, cursor);
		String normalized = email == null ? null : Emails.normalize(email);
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("email_address", normalized);
		return Page.of(this.lists.page(caller.companyId(), normalized, query), query,
				list -> new Cursor(list.createdAt(), list.id()), "/v1/lists", filters);
	}

	@GetMapping("/{id}")
	ListView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.lists.get(caller.companyId(), id);
	}

	@PatchMapping("/{id}")
	ListView update(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		String name = fields.has("name") ? fields.requiredString("name", MAX_NAME).map(String::strip).orElse(null)
				: null;
		String email = fields.has("email_address") ? listEmail(fields, true).orElse(null) : null;
		fields.validate();
		return this.lists.update(caller.companyId(), id, name, email);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		this.lists.delete(caller.companyId(), id);
	}

	@PostMapping("/{id}/members")
	MembersChange.Added addMembers(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		return this.lists.addMembers(caller.companyId(), id, memberEmails(body));
	}

	@DeleteMapping("/{id}/members")
	MembersChange.Removed removeMembers(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		return this.lists.removeMembers(caller.companyId(), id, memberEmails(body));
	}

	@GetMapping("/{id}/members")
	Page<ContactView> members(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		PageQuery query = PageQuery.of(limit, cursor);
		return Page.of(this.lists.members(caller.companyId(), id, query), query,
				contact -> new Cursor(contact.createdAt(), contact.id()), "/v1/lists/" + id + "/members", Map.of());
	}

	private static List<String> memberEmails(@Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		if (!fields.has(MEMBERS)) {
			fields.reject(MEMBERS, "can't be blank");
		}
		List<String> emails = fields.stringArray(MEMBERS).orElse(List.of());
		if (emails.size() > ListService.MAX_MEMBERS_PER_CALL) {
			fields.reject(MEMBERS, "is too long (maximum is " + ListService.MAX_MEMBERS_PER_CALL + ")");
		}
		else if (emails.stream().anyMatch(email -> email.length() > MAX_MEMBER_EMAIL)) {
			// no contact has such an address; refused rather than echoed back in
			// not_found
			fields.reject(MEMBERS, "has an entry that is too long (maximum is " + MAX_MEMBER_EMAIL + " characters)");
		}
		fields.validate();
		return Emails.normalizeAll(emails);
	}

	private static Optional<String> listEmail(JsonBody fields, boolean required) {
		Optional<String> raw = required ? fields.requiredString("email_address", 1000) : fields.string("email_address");
		return raw.map(Emails::normalize).filter(email -> {
			boolean plausible = Emails.isPlausible(email);
			if (!plausible) {
				fields.reject("email_address", "is invalid");
			}
			return plausible;
		});
	}

}
