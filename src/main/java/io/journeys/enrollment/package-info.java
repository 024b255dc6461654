/**
 * Enrollments of contacts in journeys: enroll (by email and by list), complete, unenroll,
 * history import and listing.
 */
@NullMarked
package io.journeys.enrollment;

import org.jspecify.annotations.NullMarked;
