package io.journeys.enrollment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Tuple;

import io.journeys.enrollment.EnrollStatements.Audit;
import io.journeys.enrollment.EnrollmentResponses.CompleteResult;
import io.journeys.enrollment.EnrollmentResponses.EnrollmentContact;
import io.journeys.enrollment.EnrollmentResponses.EnrollmentView;
import io.journeys.enrollment.EnrollmentResponses.Event;
import io.journeys.enrollment.EnrollmentResponses.ImportResult;
import io.journeys.enrollment.EnrollmentResponses.UnenrollResult;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface EnrollmentRepository extends JpaRepository<Enrollment, TenantKey>, EnrollmentQueries, EnrollmentReads {

	/**
	 * The enrollment with its contact; both tables filtered by the company, so that Citus
	 * reads them on its shard.
	 */
	@Query("""
			select e as enrollment, c.emailAddress as emailAddress, c.firstName as firstName, c.lastName as lastName,
			       c.attributes as attributes, c.timeZone as timeZone
			from Enrollment e, Contact c
			where e.companyId = :companyId and e.journeyId = :journeyId and e.id = :id
			  and c.companyId = :companyId and c.id = e.contactId
			""")
	Optional<Tuple> findWithContact(UUID companyId, UUID journeyId, UUID id);

	default Optional<Found> findView(UUID companyId, UUID journeyId, UUID id) {
		return findWithContact(companyId, journeyId, id).map(row -> {
			EnrollmentView view = row.get("enrollment", Enrollment.class).view(row.get("emailAddress", String.class));
			return new Found(view,
					new EnrollmentContact(view.contactId(), view.emailAddress(), row.get("firstName", String.class),
							row.get("lastName", String.class), row.get("attributes", String.class),
							row.get("timeZone", String.class)));
		});
	}

	record Found(EnrollmentView enrollment, EnrollmentContact contact) {
	}

	boolean existsByCompanyIdAndJourneyIdAndId(UUID companyId, UUID journeyId, UUID id);

}

/** Enroll is in {@link EnrollStatements}, as it runs on either of two pools. */
interface EnrollmentQueries {

	CompleteResult complete(UUID companyId, UUID journeyId, List<String> contactEmails, Instant now);

	UnenrollResult unenroll(UUID companyId, UUID journeyId, List<String> contactEmails, List<UUID> listIds,
			Instant now);

	ImportResult importHistory(UUID companyId, UUID journeyId, List<HistoryRow> rows, Audit audit, Instant now);

	boolean retry(UUID companyId, UUID journeyId, UUID id, Instant now);

	/**
	 * The enrollments {@link #retry} would take, filtered by step and exit time;
	 * {@code batch} rows per statement, all in the caller's transaction.
	 */
	int retryAll(UUID companyId, UUID journeyId, @Nullable String stepId, @Nullable Instant since, Instant now,
			int batch);

}

/** The reads that are not by key. */
interface EnrollmentReads {

	List<EnrollmentView> page(UUID companyId, UUID journeyId, @Nullable String status, @Nullable String email,
			PageQuery query);

	List<Event> events(UUID companyId, UUID enrollmentId);

}
