package io.journeys.enrollment;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code enrollPool} in the health endpoint and the readiness group: the pool of enrolls
 * by email ({@link NamedEnrollments}) is a second way to the database, and an instance
 * whose main pool works but whose enroll pool cannot connect would fail every such
 * enroll.
 */
@Component
class EnrollPoolHealthIndicator implements HealthIndicator {

	private final NamedEnrollments enrollments;

	EnrollPoolHealthIndicator(NamedEnrollments enrollments) {
		this.enrollments = enrollments;
	}

	@Override
	public Health health() {
		return this.enrollments.reachable() ? Health.up().build() : Health.down().build();
	}

}
