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
 * 413 at once by {@code Content-Length}, else (chunked) once reading passes the limit.
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
