/** The journeys service application and its start-up checks. */
@NullMarked
package io.journeys;

import org.jspecify.annotations.NullMarked;
