package io.journeys.list;

import io.journeys.validation.Unprocessable;

/** A list email, named in an enroll or unenroll, that names no list of the company. */
public class ListNotFound extends Unprocessable {

	ListNotFound(String email) {
		super("No list found with email address: " + email);
	}

}
