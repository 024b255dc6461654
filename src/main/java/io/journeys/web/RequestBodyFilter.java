package io.journeys.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
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
public final class RequestBodyFilter extends OncePerRequestFilter {

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
		return path.endsWith("/bulk") || path.endsWith("/members") || path.endsWith("/enrollments/import")
				|| path.equals("/v1/events");
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

	/**
	 * A request body read once, whole, within the size limit: the idempotency hash, the
	 * Unicode check and Jackson all read these bytes, so nothing reads the socket twice.
	 */
	public static final class BufferedBody extends ServletInputStream {

		private final byte[] bytes;

		private int position;

		private int mark;

		private BufferedBody(byte[] bytes) {
			this.bytes = bytes;
		}

		public static byte[] of(HttpServletRequest request) throws IOException {
			if (request.getInputStream() instanceof BufferedBody body) {
				return body.bytes;
			}
			throw new IllegalStateException("the request did not pass RequestBodyFilter");
		}

		static BufferedBody read(InputStream in, long expected, long limit) throws IOException {
			byte[] buffer = new byte[(int) Math.min(Math.max(expected, 1024), limit + 1)];
			int length = 0;
			for (int n; (n = in.read(buffer, length, buffer.length - length)) > 0;) {
				length += n;
				if (length > limit) {
					throw new TooLarge();
				}
				if (length == buffer.length) {
					buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit + 1));
				}
			}
			return new BufferedBody(length == buffer.length ? buffer : Arrays.copyOf(buffer, length));
		}

		/** Not to be changed. */
		public byte[] bytes() {
			return this.bytes;
		}

		@Override
		public int read() {
			return this.position < this.bytes.length ? this.bytes[this.position++] & 0xff : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.bytes.length) {
				return -1;
			}
			int n = Math.min(length, this.bytes.length - this.position);
			System.arraycopy(this.bytes, this.position, buffer, offset, n);
			this.position += n;
			return n;
		}

		@Override
		public boolean markSupported() {
			return true;
		}

		@Override
		public synchronized void mark(int limit) {
			this.mark = this.position;
		}

		@Override
		public synchronized void reset() {
			this.position = this.mark;
		}

		@Override
		public boolean isFinished() {
			return this.position >= this.bytes.length;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException("synchronous reads only");
		}

		/** Answered with 413. */
		public static final class TooLarge extends IOException {

			public static final String MESSAGE = "request body is too large";

			TooLarge() {
				super(MESSAGE);
			}

		}

	}

}
