package io.journeys.contact;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.journeys.validation.Messages;
import org.jspecify.annotations.Nullable;

/**
 * A contact to create or upsert, as sent; stored {@link #normalized()}. Absent fields are
 * null.
 */
record NewContact(
		@NotBlank(message = Messages.BLANK) @Size(max = Emails.MAX_SENT,
				message = Messages.TOO_LONG) @EmailAddress String emailAddress,
		@Size(max = NewContact.MAX_NAME, message = Messages.TOO_LONG) @Nullable String firstName,
		@Size(max = NewContact.MAX_NAME, message = Messages.TOO_LONG) @Nullable String lastName,
		@Nullable ContactStatus status) {

	static final int MAX_NAME = 255;

	NewContact normalized() {
		return new NewContact(Emails.normalize(this.emailAddress), this.firstName, this.lastName, this.status);
	}

}
