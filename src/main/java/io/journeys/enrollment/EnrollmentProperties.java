package io.journeys.enrollment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Enrollment rules.
 *
 * @param reentryWindow how long after completing a journey a contact cannot be enrolled
 * in it again
 * @param maxConcurrentListEnrolls how many enrolls that name lists (up to 100,000
 * contacts each) run at once on one instance; the others wait, so small requests always
 * find a pool connection
 * @param listEnrollWait how long an enroll that names lists waits for its turn before a
 * 503
 */
@ConfigurationProperties("journeys.enrollment")
public record EnrollmentProperties(@DefaultValue("12h") Duration reentryWindow,
		@DefaultValue("3") int maxConcurrentListEnrolls, @DefaultValue("30s") Duration listEnrollWait) {

}
