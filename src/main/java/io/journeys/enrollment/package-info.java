/**
 * Enrollments of contacts in journeys: enroll (by email and by list), complete, unenroll,
 * history import and listing. The set-based SQL that does the work lives in
 * {@link io.journeys.enrollment.EnrollmentRepository}.
 */
@NullMarked
package io.journeys.enrollment;

import org.jspecify.annotations.NullMarked;
