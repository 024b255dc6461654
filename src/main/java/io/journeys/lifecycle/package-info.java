/**
 * Lifecycle events out: a company's subscriptions, the outbox each change writes in its
 * own transaction ({@link io.journeys.lifecycle.LifecycleOutbox}), and the claims of the
 * sender that delivers it ({@link io.journeys.lifecycle.OutgoingDeliveries}).
 */
@NullMarked
package io.journeys.lifecycle;

import org.jspecify.annotations.NullMarked;
