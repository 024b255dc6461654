/**
 * Tomcat, repaired where it answers for itself: refusals as JSON error bodies, odd ids
 * let through, and the HTTP/0.9 flag cleared before each request.
 */
@NullMarked
package io.journeys.server;

import org.jspecify.annotations.NullMarked;
