package io.journeys.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import io.journeys.persistence.DatabaseFailures;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The error body where no message converter is at hand (filters, Tomcat's valve). */
@Component
public final class ErrorWriter {

	private final JsonMapper mapper;

	public ErrorWriter(JsonMapper mapper) {
		this.mapper = mapper;
	}

	public void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		writeBody(response, status.value(), message);
	}

	public void writeFieldError(HttpServletResponse response, HttpStatus status, String field, String message)
			throws IOException {
		writeBody(response, status.value(), Map.of(field, List.of(message)));
	}

	/** The same 503 as {@code ApiExceptionHandler}'s, outside a controller. */
	public void writeDatabaseUnavailable(HttpServletResponse response, Throwable failure) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseFailures.RETRY_AFTER);
		write(response, HttpStatus.SERVICE_UNAVAILABLE, DatabaseFailures.message(failure));
	}

	public String json(Object error) {
		return this.mapper.writeValueAsString(new ErrorBody(error));
	}

	private void writeBody(HttpServletResponse response, int status, Object error) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(json(error));
	}

}
