package io.journeys.web;

/** The body of every error answer: {@code {"error": <message or field errors>}}. */
public record ErrorBody(Object error) {

}
