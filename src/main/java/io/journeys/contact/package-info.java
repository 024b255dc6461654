/**
 * Contacts of a company: the people who are enrolled, keyed by normalized email address.
 */
@NullMarked
package io.journeys.contact;

import org.jspecify.annotations.NullMarked;
