package io.journeys.contact;

import java.util.Optional;

/**
 * A PATCH: each outer optional says whether the field was sent; a name sent as
 * {@code null} clears it.
 */
record ContactChanges(Optional<Optional<String>> firstName, Optional<Optional<String>> lastName,
		Optional<ContactStatus> status) {

}
