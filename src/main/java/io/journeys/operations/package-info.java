/**
 * What operators and integrators read besides the API: the actuator's endpoints, in JSON,
 * and the API description at {@code /v3/api-docs}.
 */
@NullMarked
package io.journeys.operations;

import org.jspecify.annotations.NullMarked;
