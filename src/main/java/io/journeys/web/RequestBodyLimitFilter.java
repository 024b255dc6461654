package io.journeys.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies over the configured size with 413: at once when {@code Content-Length}
 * says so, otherwise (chunked bodies) as soon as reading passes the limit.
 */
final class RequestBodyLimitFilter extends OncePerRequestFilter {

	static final String MESSAGE = BodyTooLarge.MESSAGE;

	private final long maxBytes;

	private final long maxBulkBytes;

	private final ErrorWriter errors;

	RequestBodyLimitFilter(long maxBytes, long maxBulkBytes, ErrorWriter errors) {
		this.errors = errors;
		this.maxBytes = maxBytes;
		this.maxBulkBytes = maxBulkBytes;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = isBulk(request.getRequestURI()) ? this.maxBulkBytes : this.maxBytes;
		if (request.getContentLengthLong() > limit) {
			this.errors.write(response, HttpStatus.CONTENT_TOO_LARGE, MESSAGE);
			return;
		}
		chain.doFilter(new LimitedRequest(request, limit), response);
	}

	/** Bulk endpoints take up to 10,000 items and so get the larger limit. */
	static boolean isBulk(String path) {
		return path.endsWith("/bulk") || path.endsWith("/members") || path.endsWith("/enrollments/import");
	}

	static boolean isTooLarge(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BodyTooLarge) {
				return true;
			}
		}
		return false;
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class LimitedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		LimitedStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws BodyTooLarge {
			this.count += n;
			if (this.count > this.limit) {
				throw new BodyTooLarge();
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
