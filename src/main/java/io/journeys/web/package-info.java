/**
 * What every request shares over HTTP: the filters in their order
 * ({@link io.journeys.web.FilterOrder}), the request id and log line, the body size
 * limit, and the JSON error body with its writer and the one exception handler.
 */
@NullMarked
package io.journeys.web;

import org.jspecify.annotations.NullMarked;
