/**
 * Destinations: the origins a company's webhook steps call, each with its own rate limit
 * (a token bucket shared by every journey and every instance), its state (paused by hand,
 * or by the circuit breaker when all its calls fail), and its last hour's calls.
 */
@NullMarked
package io.journeys.destination;

import org.jspecify.annotations.NullMarked;
