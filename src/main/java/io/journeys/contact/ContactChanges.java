package io.journeys.contact;

import java.util.Optional;

import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * A name or the time zone sent as {@code null} ({@code Optional.empty()}) clears it;
 * {@code attributes} are merged ({@link AttributeChanges}).
 */
record ContactChanges(@Nullable Optional<@Size(max = NewContact.MAX_NAME) String> firstName,
		@Nullable Optional<@Size(max = NewContact.MAX_NAME) String> lastName, @Nullable ContactStatus status,
		@Nullable ObjectNode attributes, @Nullable Optional<String> timeZone) {

}
