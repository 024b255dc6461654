package io.journeys.enrollment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.journeys.auth.ApiCaller;
import io.journeys.enrollment.Results.CompleteResult;
import io.journeys.enrollment.Results.EnrollResult;
import io.journeys.enrollment.Results.EnrollmentView;
import io.journeys.enrollment.Results.ImportResult;
import io.journeys.enrollment.Results.UnenrollResult;
import io.journeys.web.Cursor;
import io.journeys.contact.Emails;
import io.journeys.web.InvalidParameters;
import io.journeys.web.JsonBody;
import io.journeys.web.Page;
import io.journeys.web.PageQuery;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/journeys/{id}/...}: enroll, complete, unenroll, import and list enrollments.
 */
@RestController
@RequestMapping("/v1/journeys/{id}")
class EnrollmentController {

	static final int MAX_IMPORT = 10_000;

	private static final List<String> STATUSES = List.of("active", "completed", "exited");

	private final EnrollmentService enrollments;

	private final EnrollmentMetrics metrics;

	EnrollmentController(EnrollmentService enrollments, EnrollmentMetrics metrics) {
		this.enrollments = enrollments;
		this.metrics = metrics;
	}

	@PostMapping("/enroll")
	EnrollResult enroll(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		Targets targets = Targets.read(JsonBody.of(body));
		this.metrics.requested(targets);
		return this.metrics.counted(this.enrollments.enroll(caller, id, targets));
	}

	@PostMapping("/unenroll")
	UnenrollResult unenroll(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		return this.enrollments.unenroll(caller, id, Targets.read(JsonBody.of(body)));
	}

	@PostMapping("/complete")
	CompleteResult complete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		List<String> emails = fields.stringArray(Targets.CONTACTS).orElse(List.of());
		fields.validate();
		return this.enrollments.complete(caller, id, emails);
	}

	@PostMapping("/enrollments/import")
	ImportResult importHistory(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody(required = false) @Nullable JsonNode body) {
		JsonBody fields = JsonBody.of(body);
		List<HistoryRow> rows = new ArrayList<>();
		if (!fields.has("enrollments")) {
			fields.reject("enrollments", "can't be blank");
		}
		fields.objectArray("enrollments").ifPresent(items -> {
			if (items.size() > MAX_IMPORT) {
				fields.reject("enrollments", "is too long (maximum is " + MAX_IMPORT + ")");
				return;
			}
			for (JsonBody item : items) {
				String email = item.requiredString("email_address", 1000).map(Emails::normalize).orElse("");
				var enrolledAt = item.time("enrolled_at");
				if (!item.has("enrolled_at")) {
					item.reject("enrolled_at", "can't be blank");
				}
				var completedAt = item.time("completed_at").orElse(null);
				var exitedAt = item.time("exited_at").orElse(null);
				enrolledAt.ifPresent(at -> rows.add(new HistoryRow(email, at, completedAt, exitedAt)));
			}
		});
		fields.validate();
		return this.enrollments.importHistory(caller, id, rows);
	}

	@GetMapping("/enrollments")
	Page<EnrollmentView> list(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(name = "email_address", required = false) @Nullable String email,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		PageQuery query = PageQuery.of(limit, cursor);
		if (status != null && !STATUSES.contains(status)) {
			throw InvalidParameters.of("status", "is not included in the list");
		}
		String normalized = email == null ? null : Emails.normalize(email);
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("status", status);
		filters.put("email_address", normalized);
		return Page.of(this.enrollments.page(caller, id, status, normalized, query), query,
				enrollment -> new Cursor(enrollment.enrolledAt(), enrollment.id()),
				"/v1/journeys/" + id + "/enrollments", filters);
	}

}
