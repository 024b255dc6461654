/**
 * Per-API-key rate limits on {@code /v1}, kept in PostgreSQL by Bucket4j so every
 * instance draws from the same bucket, announced with the IETF draft's
 * {@code RateLimit-Policy} and {@code RateLimit} headers.
 */
@NullMarked
package io.journeys.ratelimit;

import org.jspecify.annotations.NullMarked;
