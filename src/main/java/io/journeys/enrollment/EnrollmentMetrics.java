package io.journeys.enrollment;

import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code journeys_enroll_retries_total} should stay at zero. */
@Component
class EnrollmentMetrics {

	private final Counter enrolled;

	private final Counter notFound;

	private final Counter alreadyEnrolled;

	private final Counter recentlyCompleted;

	private final DistributionSummary contactEmails;

	private final DistributionSummary listEmails;

	private final Counter retries;

	EnrollmentMetrics(MeterRegistry registry) {
		this.enrolled = outcome(registry, "enrolled");
		this.notFound = outcome(registry, "not_found");
		this.alreadyEnrolled = outcome(registry, "already_enrolled");
		this.recentlyCompleted = outcome(registry, "recently_completed");
		this.contactEmails = requestSize(registry, ContactsAndLists.CONTACTS, ContactsAndLists.MAX_CONTACTS);
		this.listEmails = requestSize(registry, ContactsAndLists.LISTS, ContactsAndLists.MAX_LISTS);
		this.retries = Counter.builder("journeys.enroll.retries")
			.description("Enroll attempts run again because a deadlock or lock conflict rolled them back")
			.register(registry);
	}

	void requested(ContactsAndLists targets) {
		this.contactEmails.record(targets.contactEmailAddresses().size());
		this.listEmails.record(targets.listEmailAddresses().size());
	}

	void retried() {
		this.retries.increment();
	}

	EnrollResult counted(EnrollResult result) {
		this.enrolled.increment(result.enrolledCount());
		this.notFound.increment(result.notEnrolled().notFound().size());
		this.alreadyEnrolled.increment(result.notEnrolled().alreadyEnrolled().size());
		this.recentlyCompleted.increment(result.notEnrolled().recentlyCompleted().size());
		return result;
	}

	private static Counter outcome(MeterRegistry registry, String outcome) {
		return Counter.builder("journeys.enrollments")
			.description("Contacts named by enroll requests, by the outcome the answer gave them")
			.tag("outcome", outcome)
			.register(registry);
	}

	private static DistributionSummary requestSize(MeterRegistry registry, String field, int max) {
		return DistributionSummary.builder("journeys.enroll.request.emails")
			.description("Email addresses an enroll request named in one field, as sent")
			.tag("field", field)
			.publishPercentileHistogram()
			.minimumExpectedValue(1.0)
			.maximumExpectedValue((double) max)
			.register(registry);
	}

}
