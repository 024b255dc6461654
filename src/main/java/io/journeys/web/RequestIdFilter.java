package io.journeys.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** The caller's sane {@code X-Request-Id} or a new one: echoed, logged, audited. */
public final class RequestIdFilter extends OncePerRequestFilter {

	public static final String HEADER = "X-Request-Id";

	static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader(HEADER);
		if (id == null || !SANE.matcher(id).matches()) {
			id = UUID.randomUUID().toString();
		}
		request.setAttribute(ATTRIBUTE, id);
		response.setHeader(HEADER, id);
		MDC.put("request_id", id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("request_id");
		}
	}

	public static @Nullable String current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return attributes == null ? null : (String) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
	}

}
