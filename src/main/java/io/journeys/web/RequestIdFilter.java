package io.journeys.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/** The caller's {@code X-Request-Id} if sane, else a new one; echoed and logged. */
final class RequestIdFilter extends OncePerRequestFilter {

	public static final String HEADER = "X-Request-Id";

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader(HEADER);
		if (id == null || !SANE.matcher(id).matches()) {
			id = UUID.randomUUID().toString();
		}
		request.setAttribute(RequestIds.ATTRIBUTE, id);
		response.setHeader(HEADER, id);
		MDC.put("request_id", id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("request_id");
		}
	}

}
