package io.journeys.company;

import java.util.Map;
import java.util.UUID;

import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.journeys.auth.ApiKeyService;
import io.journeys.auth.ApiKeyView;
import io.journeys.auth.CreatedApiKey;
import io.journeys.paging.Page;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Ids;
import io.journeys.persistence.Keyset;
import io.journeys.validation.AfterLookup;
import io.journeys.validation.ValidationErrors;
import io.journeys.web.NotFound;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/admin/v1")
class AdminController {

	record NewCompany(@NotBlank @Size(max = 255) String name) {
	}

	/** Its name is checked once the company is found. */
	record NewApiKey(@NotBlank(groups = AfterLookup.class) @Size(max = 255, groups = AfterLookup.class) String name) {
	}

	private final CompanyService companies;

	private final Validator validator;

	private final ApiKeyService keys;

	AdminController(CompanyService companies, ApiKeyService keys, Validator validator) {
		this.companies = companies;
		this.validator = validator;
		this.keys = keys;
	}

	@PostMapping("/companies")
	@ResponseStatus(HttpStatus.CREATED)
	CompanyView createCompany(@RequestBody NewCompany body) {
		return this.companies.create(body.name().strip());
	}

	@GetMapping("/companies/{id}")
	CompanyView company(@PathVariable String id) {
		return this.companies.get(id);
	}

	@PostMapping("/companies/{id}/api_keys")
	@ResponseStatus(HttpStatus.CREATED)
	CreatedApiKey createKey(@PathVariable String id, @RequestBody NewApiKey body) {
		UUID companyId = this.companies.existing(id);
		ValidationErrors.check(this.validator.validate(body, AfterLookup.class));
		return this.keys.create(companyId, body.name().strip());
	}

	/** The company first (404), then the page (422). */
	@GetMapping("/companies/{id}/api_keys")
	Page<ApiKeyView> keys(@PathVariable String id, @RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		UUID companyId = this.companies.existing(id);
		PageQuery query = PageQuery.of(limit, cursor);
		return Page.of(this.keys.page(companyId, query), query, key -> new Keyset(key.createdAt(), key.id()),
				"/admin/v1/companies/" + companyId + "/api_keys", Map.of());
	}

	@DeleteMapping("/api_keys/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeKey(@PathVariable String id) {
		this.keys.revoke(Ids.parse(id).orElseThrow(() -> new NotFound("API key")));
	}

}
