/**
 * The step runner: moves the active enrollments of journeys with steps through their
 * waits in sets, calls their webhooks (signed, retried with backoff), and completes them
 * after the last step.
 */
@NullMarked
package io.journeys.runner;

import org.jspecify.annotations.NullMarked;
