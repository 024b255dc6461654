package io.journeys.auth;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.journeys.web.ErrorWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

final class JsonEntryPoint implements AuthenticationEntryPoint {

	static final String API_MESSAGE = "Invalid or missing API token";

	static final String ADMIN_MESSAGE = "Invalid or missing admin token";

	private final ErrorWriter errors;

	JsonEntryPoint(ErrorWriter errors) {
		this.errors = errors;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		unauthorized(response, request.getRequestURI().startsWith("/admin") ? ADMIN_MESSAGE : API_MESSAGE);
	}

	void unauthorized(HttpServletResponse response, String message) throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
		this.errors.write(response, HttpStatus.UNAUTHORIZED, message);
	}

}
