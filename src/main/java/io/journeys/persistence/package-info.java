/**
 * What the repositories share: moving instants in and out of {@code timestamptz} columns,
 * and the {@code (company_id, id)} key of every tenant table.
 */
@NullMarked
package io.journeys.persistence;

import org.jspecify.annotations.NullMarked;
