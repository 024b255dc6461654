package io.journeys.contact;

import java.util.Optional;

import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

/** A name sent as {@code null} ({@code Optional.empty()}) clears it. */
record ContactChanges(@Nullable Optional<@Size(max = NewContact.MAX_NAME) String> firstName,
		@Nullable Optional<@Size(max = NewContact.MAX_NAME) String> lastName, @Nullable ContactStatus status) {

}
