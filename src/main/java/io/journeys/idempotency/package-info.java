/**
 * Safe retries: the first answer to a {@code POST} carrying an {@code Idempotency-Key} is
 * stored in PostgreSQL per company and replayed to retries with the same body for 24
 * hours.
 */
@NullMarked
package io.journeys.idempotency;

import org.jspecify.annotations.NullMarked;
