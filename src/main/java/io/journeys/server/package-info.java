/**
 * Tomcat, repaired where it answers for itself: its refusals written as the service's
 * JSON error body, odd ids let through to the application, and the HTTP/0.9 flag that
 * Tomcat 11 keeps across a recycled processor cleared before each request
 * ({@link io.journeys.server.Http11ResettingProtocol}, found by {@code RawHttpTests}).
 */
@NullMarked
package io.journeys.server;

import org.jspecify.annotations.NullMarked;
