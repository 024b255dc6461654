package io.journeys.enrollment;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.enrollment.EnrollmentResponses.EnrollmentView;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;

/** Read only: enrollments are created and moved in sets by SQL. */
@Entity
@Table(name = "enrollments")
@IdClass(TenantKey.class)
class Enrollment {

	@Id
	private UUID companyId;

	@Id
	private UUID id;

	private UUID journeyId;

	private UUID contactId;

	private String status;

	private String source;

	private @Nullable UUID listId;

	private @Nullable UUID apiKeyId;

	private @Nullable String requestId;

	private Instant enrolledAt;

	private @Nullable Instant completedAt;

	private @Nullable Instant exitedAt;

	private @Nullable String stepId;

	private @Nullable Instant stepStartedAt;

	private @Nullable Instant dueAt;

	private int attempts;

	private @Nullable Instant lastAttemptAt;

	private @Nullable Integer lastStatus;

	private @Nullable String lastError;

	private @Nullable String exitReason;

	private @Nullable String triggerEvent;

	private @Nullable String waitedEvent;

	protected Enrollment() {
	}

	EnrollmentView view(String emailAddress) {
		boolean runsSteps = this.stepId != null || this.dueAt != null;
		return new EnrollmentView("enrollment", this.id, this.journeyId, this.contactId, emailAddress, this.status,
				this.source, this.listId, this.enrolledAt, this.completedAt, this.exitedAt, this.stepId,
				this.stepStartedAt, this.dueAt, runsSteps ? this.attempts : null, this.lastAttemptAt, this.lastStatus,
				this.lastError, this.exitReason, this.triggerEvent);
	}

}
