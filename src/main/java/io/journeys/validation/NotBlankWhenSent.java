package io.journeys.validation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** For PATCH: Jakarta's {@code @NotBlank} also refuses a field not sent. */
@Constraint(validatedBy = NotBlankWhenSent.Check.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface NotBlankWhenSent {

	String message() default "{jakarta.validation.constraints.NotBlank.message}";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	class Check implements ConstraintValidator<NotBlankWhenSent, String> {

		@Override
		public boolean isValid(String value, ConstraintValidatorContext context) {
			return value == null || !value.isBlank();
		}

	}

}
