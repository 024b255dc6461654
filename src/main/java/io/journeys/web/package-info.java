/**
 * What every endpoint shares over HTTP: the JSON error body and the exceptions that
 * produce it, request body reading and validation, ids, pagination, the filter order and
 * the request id; and what operators see of them: the OpenAPI description, the
 * per-request log line and the actuator's JSON.
 */
@NullMarked
package io.journeys.web;

import org.jspecify.annotations.NullMarked;
