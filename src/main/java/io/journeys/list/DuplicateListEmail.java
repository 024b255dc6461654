package io.journeys.list;

import io.journeys.validation.Unprocessable;

/** A list email of an enroll or unenroll that names several lists: 422. */
public class DuplicateListEmail extends Unprocessable {

	DuplicateListEmail(String email, long count) {
		super("Multiple lists (" + count + ") found with email address: " + email
				+ ". Please ensure each list has a unique email address.");
	}

}
