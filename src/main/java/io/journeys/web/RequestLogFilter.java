package io.journeys.web;

import java.io.IOException;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;

/** One line per request; never a header, token, query string or body. */
public final class RequestLogFilter extends OncePerRequestFilter {

	public static final String COMPANY_ATTRIBUTE = RequestLogFilter.class.getName() + ".company";

	private static final Logger log = LoggerFactory.getLogger(RequestLogFilter.class);

	private static final int MAX_PATH = 200;

	private static final Pattern PLAIN_SEGMENT = Pattern.compile("(v1|[a-z_]{1,24})?");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		boolean failed = true;
		try {
			chain.doFilter(request, response);
			failed = false;
		}
		finally {
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			int status = failed ? 500 : response.getStatus();
			Object company = request.getAttribute(COMPANY_ATTRIBUTE);
			String companyId = company == null ? "-" : company.toString();
			String requestId = request.getAttribute(RequestIdFilter.ATTRIBUTE) instanceof String id ? id : "-";
			String path = path(request);
			log.atInfo()
				.setMessage("request method={} path={} status={} duration_ms={} company_id={} request_id={}")
				.addArgument(request.getMethod())
				.addArgument(path)
				.addArgument(status)
				.addArgument(millis)
				.addArgument(companyId)
				.addArgument(requestId)
				.addKeyValue("method", request.getMethod())
				.addKeyValue("path", path)
				.addKeyValue("status", status)
				.addKeyValue("duration_ms", millis)
				.addKeyValue("company_id", companyId)
				.log();
		}
	}

	/** Else the raw path with ids, emails or pasted keys starred out of the log. */
	static String path(HttpServletRequest request) {
		if (request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod
				&& request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
			return pattern;
		}
		StringJoiner path = new StringJoiner("/");
		for (String segment : request.getRequestURI().split("/", -1)) {
			path.add(PLAIN_SEGMENT.matcher(segment).matches() ? segment : "*");
		}
		String hidden = path.toString();
		return hidden.length() > MAX_PATH ? hidden.substring(0, MAX_PATH) : hidden;
	}

}
