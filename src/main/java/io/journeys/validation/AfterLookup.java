package io.journeys.validation;

/**
 * The validation group of rules the contract checks only once the resource the request
 * names was found (the enroll limits come after 404 and the journey's state); the service
 * checks it with {@code jakarta.validation.Validator} and {@link ValidationErrors#check}.
 * Every other constraint is checked when the body is bound.
 */
public interface AfterLookup {

}
