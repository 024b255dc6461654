package io.journeys.web;

/** {@code error}: a message or field errors. */
public record ErrorBody(Object error) {

}
