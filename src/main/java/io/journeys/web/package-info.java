/**
 * What every endpoint shares: the JSON error body and the exceptions that produce it, request body
 * reading and validation, email normalization, ids, pagination and the request id.
 */
@NullMarked
package io.journeys.web;

import org.jspecify.annotations.NullMarked;
