package io.journeys.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies over the configured size with 413: at once when {@code Content-Length}
 * says so, otherwise (chunked bodies) as soon as reading passes the limit. The first
 * reader of the body reads it whole into a {@link BufferedBody}; every later reader gets
 * the same bytes.
 */
final class RequestBodyFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final long maxBulkBytes;

	private final ErrorWriter errors;

	RequestBodyFilter(long maxBytes, long maxBulkBytes, ErrorWriter errors) {
		this.errors = errors;
		this.maxBytes = maxBytes;
		this.maxBulkBytes = maxBulkBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = isBulk(request.getRequestURI()) ? this.maxBulkBytes : this.maxBytes;
		if (request.getContentLengthLong() > limit) {
			this.errors.write(response, HttpStatus.CONTENT_TOO_LARGE, BufferedBody.TooLarge.MESSAGE);
			return;
		}
		chain.doFilter(new BufferedRequest(request, limit), response);
	}

	/** Bulk endpoints take up to 10,000 items and so get the larger limit. */
	static boolean isBulk(String path) {
		return path.endsWith("/bulk") || path.endsWith("/members") || path.endsWith("/enrollments/import");
	}

	static boolean isTooLarge(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BufferedBody.TooLarge) {
				return true;
			}
		}
		return false;
	}

	private static final class BufferedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private @Nullable BufferedBody body;

		BufferedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.body == null) {
				this.body = BufferedBody.read(super.getInputStream(), getContentLengthLong(), this.limit);
			}
			return this.body;
		}

	}

}
