/**
 * Conditions over an event's properties, a contact's attributes and its past events:
 * checked once when a journey is saved, evaluated by whatever applies them.
 */
@NullMarked
package io.journeys.condition;

import org.jspecify.annotations.NullMarked;
