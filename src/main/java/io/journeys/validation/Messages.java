package io.journeys.validation;

/** For errors found in code, in the words of {@code ValidationMessages.properties}. */
public final class Messages {

	public static final String BLANK = "can't be blank";

	public static final String TOO_LONG = "is too long (maximum is {max} characters)";

	public static final String NOT_INCLUDED = "is not included in the list";

	public static final String INVALID = "is invalid";

	private Messages() {
	}

}
