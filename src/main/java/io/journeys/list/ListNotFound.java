package io.journeys.list;

import io.journeys.validation.Unprocessable;

/** A list email of an enroll or unenroll that names no list: 422. */
public class ListNotFound extends Unprocessable {

	ListNotFound(String email) {
		super("No list found with email address: " + email);
	}

}
