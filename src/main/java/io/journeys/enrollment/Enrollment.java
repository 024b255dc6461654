package io.journeys.enrollment;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;

/**
 * One contact's passage through one journey. Rows are created and moved in sets by SQL
 * (see {@link EnrollmentRepository}); the entity maps the table for a later step runner
 * and for schema validation. {@code status} is {@code active}, {@code completed} or
 * {@code exited}.
 */
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

	protected Enrollment() {
	}

}
