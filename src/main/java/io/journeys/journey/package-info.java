/**
 * Journeys: automated sequences contacts are enrolled in, and the states they move
 * through.
 */
@NullMarked
package io.journeys.journey;

import org.jspecify.annotations.NullMarked;
