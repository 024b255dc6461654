package io.journeys.contact;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;

record NewContact(@NotBlank @Size(max = Emails.MAX_SENT) @EmailAddress String emailAddress,
		@Size(max = NewContact.MAX_NAME) @Nullable String firstName,
		@Size(max = NewContact.MAX_NAME) @Nullable String lastName, @Nullable ContactStatus status) {

	static final int MAX_NAME = 255;

	NewContact normalized() {
		return new NewContact(Emails.normalize(this.emailAddress), this.firstName, this.lastName, this.status);
	}

}
