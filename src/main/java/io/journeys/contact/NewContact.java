package io.journeys.contact;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/** A contact as {@code POST /v1/contacts} and each entry of the bulk upsert send it. */
record NewContact(@NotBlank @Size(max = Emails.MAX_SENT) @EmailAddress String emailAddress,
		@Size(max = NewContact.MAX_NAME) @Nullable String firstName,
		@Size(max = NewContact.MAX_NAME) @Nullable String lastName, @Nullable ContactStatus status,
		@Nullable ObjectNode attributes, @Nullable String timeZone) {

	static final int MAX_NAME = 255;

	NewContact normalized() {
		return new NewContact(Emails.normalize(this.emailAddress), this.firstName, this.lastName, this.status,
				this.attributes, this.timeZone);
	}

}
