/**
 * Collections in pages: the {@code limit} and {@code cursor} parameters bound to a
 * {@link io.journeys.paging.PageQuery} for any controller method that takes one, and the
 * page body with its {@code next} link.
 */
@NullMarked
package io.journeys.paging;

import org.jspecify.annotations.NullMarked;
