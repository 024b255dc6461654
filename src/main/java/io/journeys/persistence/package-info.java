/**
 * What the repositories share: moving instants in and out of {@code timestamptz} columns,
 * the {@code (company_id, id)} key of every tenant table, and the lock that orders
 * contact deletes after the enrollment inserts they race.
 */
@NullMarked
package io.journeys.persistence;

import org.jspecify.annotations.NullMarked;
