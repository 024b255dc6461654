package io.journeys.enrollment;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Enrollment rules.
 * @param reentryWindow how long after completing a journey a contact cannot be enrolled in it again
 */
@ConfigurationProperties("journeys.enrollment")
public record EnrollmentProperties(@DefaultValue("12h") Duration reentryWindow) {

}
