/**
 * Mailing lists of contacts, their members, and the resolution of list emails for enroll.
 */
@NullMarked
package io.journeys.list;

import org.jspecify.annotations.NullMarked;
