package io.journeys.contact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.journeys.auth.ApiCaller;
import io.journeys.web.Cursor;
import io.journeys.web.InvalidParameters;
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

/** {@code /v1/contacts}. */
@RestController
@RequestMapping("/v1/contacts")
class ContactController {

	private static final int MAX_NAME = 255;

	private final ContactService contacts;

	ContactController(ContactService contacts) {
		this.contacts = contacts;
	}

	@PostMapping
	@ResponseStatus(HttpStatus.CREATED)
	ContactView create(@AuthenticationPrincipal ApiCaller caller,
			@RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		NewContact contact = readContact(fields, true);
		fields.validate();
		return this.contacts.create(caller.companyId(), contact);
	}

	@GetMapping
	Page<ContactView> list(@AuthenticationPrincipal ApiCaller caller,
			@RequestParam(name = "email_address", required = false) @Nullable String email,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		PageQuery query = PageQuery.of(limit, cursor);
		ContactStatus wanted = status == null ? null : ContactStatus.of(status)
			.orElseThrow(() -> InvalidParameters.of("status", "is not included in the list"));
		String normalized = email == null ? null : Emails.normalize(email);
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("email_address", normalized);
		filters.put("status", status);
		return Page.of(this.contacts.page(caller.companyId(), normalized, wanted, query), query,
				contact -> new Cursor(contact.createdAt(), contact.id()), "/v1/contacts", filters);
	}

	@GetMapping("/{id}")
	ContactView get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		return this.contacts.get(caller.companyId(), id);
	}

	@PatchMapping("/{id}")
	ContactView update(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		ContactChanges changes = new ContactChanges(nullableName(body, fields, "first_name"),
				nullableName(body, fields, "last_name"), status(fields));
		fields.validate();
		return this.contacts.update(caller.companyId(), id, changes);
	}

	@DeleteMapping("/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id) {
		this.contacts.delete(caller.companyId(), id);
	}

	@PostMapping("/bulk")
	BulkResult bulk(@AuthenticationPrincipal ApiCaller caller, @RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		List<NewContact> batch = new ArrayList<>();
		if (!fields.has("contacts")) {
			fields.reject("contacts", "can't be blank");
		}
		fields.objectArray("contacts").ifPresent(items -> {
			if (items.size() > ContactService.MAX_BULK) {
				fields.reject("contacts", "is too long (maximum is " + ContactService.MAX_BULK + ")");
				return;
			}
			for (JsonBody item : items) {
				batch.add(readContact(item, true));
			}
		});
		fields.validate();
		return this.contacts.upsert(caller.companyId(), batch);
	}

	/** Reads the fields of a new contact; errors are recorded on {@code fields}. */
	private static NewContact readContact(JsonBody fields, boolean requireEmail) {
		String email = "";
		Optional<String> raw = requireEmail ? fields.requiredString("email_address", 1000)
				: fields.string("email_address");
		if (raw.isPresent()) {
			email = Emails.normalize(raw.get());
			if (!Emails.isPlausible(email)) {
				fields.reject("email_address", "is invalid");
			}
		}
		return new NewContact(email, fields.optionalString("first_name", MAX_NAME).orElse(null),
				fields.optionalString("last_name", MAX_NAME).orElse(null), status(fields).orElse(null));
	}

	private static Optional<ContactStatus> status(JsonBody fields) {
		return fields.string("status").flatMap(value -> {
			Optional<ContactStatus> status = ContactStatus.of(value);
			if (status.isEmpty()) {
				fields.reject("status", "is not included in the list");
			}
			return status;
		});
	}

	/** Absent: no change. {@code null}: clear. A string: set. */
	private static Optional<Optional<String>> nullableName(@Nullable JsonNode body, JsonBody fields, String field) {
		if (body == null || !body.has(field)) {
			return Optional.empty();
		}
		if (body.get(field).isNull()) {
			return Optional.of(Optional.empty());
		}
		return fields.optionalString(field, MAX_NAME).map(Optional::of);
	}

}
