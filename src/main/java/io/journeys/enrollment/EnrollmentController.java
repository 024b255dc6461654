package io.journeys.enrollment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.journeys.auth.ApiCaller;
import io.journeys.contact.Emails;
import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.journeys.enrollment.EnrollmentResponses.CompleteResult;
import io.journeys.enrollment.EnrollmentResponses.EnrollmentDetail;
import io.journeys.enrollment.EnrollmentResponses.EnrollmentView;
import io.journeys.enrollment.EnrollmentResponses.ImportResult;
import io.journeys.enrollment.EnrollmentResponses.RetryResult;
import io.journeys.enrollment.EnrollmentResponses.UnenrollResult;
import io.journeys.paging.Page;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.validation.InvalidParameters;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/journeys/{id}")
class EnrollmentController {

	static final int MAX_IMPORT = 10_000;

	record HistoryImport(@NotNull @Size(max = MAX_IMPORT,
			message = "{journeys.too-many}") @Valid @Nullable List<HistoryRow> enrollments) {
	}

	static final String DRY_RUN = "dry_run";

	private static final List<String> STATUSES = List.of("active", "completed", "exited");

	private final EnrollmentService enrollments;

	private final EnrollmentRecords records;

	private final EnrollmentMetrics metrics;

	EnrollmentController(EnrollmentService enrollments, EnrollmentRecords records, EnrollmentMetrics metrics) {
		this.enrollments = enrollments;
		this.records = records;
		this.metrics = metrics;
	}

	/**
	 * A dry run answers what the enroll would answer now and keeps nothing; it is not
	 * counted in the enroll metrics.
	 */
	@PostMapping("/enroll")
	EnrollResult enroll(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestParam(name = DRY_RUN, required = false) @Nullable String dryRun,
			@RequestBody ContactsAndLists body) {
		if (isDryRun(dryRun)) {
			return this.enrollments.dryRun(caller, id, body);
		}
		this.metrics.requested(body);
		return this.metrics.counted(this.enrollments.enroll(caller, id, body));
	}

	/** Absent is false; repeated values arrive joined, and fail as one. */
	private static boolean isDryRun(@Nullable String value) {
		if (value == null || value.equals("false")) {
			return false;
		}
		if (value.equals("true")) {
			return true;
		}
		throw InvalidParameters.of(DRY_RUN, "must be true or false");
	}

	@PostMapping("/unenroll")
	UnenrollResult unenroll(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody ContactsAndLists body) {
		return this.records.unenroll(caller, id, body);
	}

	@PostMapping("/complete")
	CompleteResult complete(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody Completion body) {
		return this.records.complete(caller, id, body);
	}

	@PostMapping("/enrollments/import")
	ImportResult importHistory(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody HistoryImport body) {
		return this.records.importHistory(caller, id, body.enrollments().stream().map(HistoryRow::normalized).toList());
	}

	@GetMapping("/enrollments")
	Page<EnrollmentView> list(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestParam(required = false) @Nullable String status,
			@RequestParam(name = "email_address", required = false) @Nullable String email, PageQuery query) {
		if (status != null && !STATUSES.contains(status)) {
			throw InvalidParameters.of("status", "is not included in the list");
		}
		String normalized = email == null ? null : Emails.normalize(email);
		Map<String, @Nullable String> filters = new LinkedHashMap<>();
		filters.put("status", status);
		filters.put("email_address", normalized);
		return Page.of(this.records.page(caller, id, status, normalized, query), query,
				enrollment -> new Keyset(enrollment.enrolledAt(), enrollment.id()),
				"/v1/journeys/" + id + "/enrollments", filters);
	}

	@GetMapping("/enrollments/{enrollmentId}")
	EnrollmentDetail get(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@PathVariable String enrollmentId) {
		return this.records.get(caller, id, enrollmentId);
	}

	@PostMapping("/enrollments/retry")
	RetryResult retryAll(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@RequestBody RetryRequest body) {
		return this.records.retryAll(caller, id, body);
	}

	@PostMapping("/enrollments/{enrollmentId}/retry")
	EnrollmentDetail retry(@AuthenticationPrincipal ApiCaller caller, @PathVariable String id,
			@PathVariable String enrollmentId) {
		return this.records.retry(caller, id, enrollmentId);
	}

}
