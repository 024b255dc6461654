package io.journeys.contact;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An address that is plausible once normalized ({@link Emails}); {@code null} passes. */
@Constraint(validatedBy = EmailAddress.Check.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface EmailAddress {

	String message() default "{journeys.invalid}";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Check implements ConstraintValidator<EmailAddress, String> {

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || Emails.isPlausible(Emails.normalize(value));
		}

	}

}
