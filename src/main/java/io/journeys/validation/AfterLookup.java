package io.journeys.validation;

/**
 * Rules the contract checks only once the resource was found: the enroll limits come
 * after 404 and the journey's state.
 */
public interface AfterLookup {

}
