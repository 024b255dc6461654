/**
 * The step runner: moves the active enrollments of journeys with steps through their
 * waits in sets, calls their webhooks (signed, retried with backoff), and completes them
 * after the last step. Any number of instances run it side by side; each due step is run
 * by one of them at a time.
 */
@NullMarked
package io.journeys.runner;

import org.jspecify.annotations.NullMarked;
