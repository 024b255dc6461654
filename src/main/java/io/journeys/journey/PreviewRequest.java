package io.journeys.journey;

import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.journeys.contact.Emails;
import io.journeys.validation.AfterLookup;
import org.jspecify.annotations.Nullable;

/**
 * The body of a preview: whose path, entering when ({@code at}, default now). A wrong
 * type or a time without an offset is refused first; the rules on the email come once the
 * journey was found (404 first).
 */
record PreviewRequest(@NotBlank(groups = AfterLookup.class) @Size(max = Emails.MAX_SENT,
		groups = AfterLookup.class) @Nullable String contactEmailAddress, @Nullable Instant at) {

}
