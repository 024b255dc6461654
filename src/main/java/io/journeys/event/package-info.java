/**
 * Events a company sends about its contacts, kept for a while, and what they do to
 * journeys: enroll by a trigger, end by a goal, end a wait for an event.
 */
@NullMarked
package io.journeys.event;

import org.jspecify.annotations.NullMarked;
