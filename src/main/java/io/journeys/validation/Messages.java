package io.journeys.validation;

/**
 * The contract's field error messages, Rails-style, for constraint annotations;
 * {@code {max}} is the constraint's own limit.
 */
public final class Messages {

	public static final String BLANK = "can't be blank";

	public static final String TOO_LONG = "is too long (maximum is {max} characters)";

	public static final String TOO_MANY = "is too long (maximum is {max})";

	public static final String NOT_INCLUDED = "is not included in the list";

	public static final String INVALID = "is invalid";

	private Messages() {
	}

}
