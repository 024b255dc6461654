/**
 * How long rows that only grow are kept: each table's old rows are deleted in small
 * batches, company by company.
 */
@NullMarked
package io.journeys.retention;

import org.jspecify.annotations.NullMarked;
