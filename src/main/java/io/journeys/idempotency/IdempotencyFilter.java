package io.journeys.idempotency;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.journeys.auth.ApiCaller;
import io.journeys.web.RequestBodyFilter.BufferedBody;
import io.journeys.web.ErrorWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Honours {@code Idempotency-Key}; answers of 500 and above are not stored. A dry run of
 * an enroll (a {@code dry_run} parameter other than {@code false}, bad values included)
 * ignores the key: it writes nothing, so there is nothing to make safe, and its answer is
 * neither stored nor replayed. A preview of a journey ignores it for the same reason.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

	static final String HEADER = "Idempotency-Key";

	static final String REPLAYED = "Idempotent-Replayed";

	static final int MAX_KEY_LENGTH = 255;

	private final IdempotencyStore store;

	private final IdempotencyProperties properties;

	private final Clock clock;

	private final ErrorWriter errors;

	IdempotencyFilter(IdempotencyStore store, IdempotencyProperties properties, Clock clock, ErrorWriter errors) {
		this.errors = errors;
		this.store = store;
		this.properties = properties;
		this.clock = clock;
	}

	/** The operations that take {@code dry_run}. */
	private static final Pattern DRY_RUNNABLE = Pattern.compile("/v1/journeys/[^/]+/enroll");

	static final String DRY_RUN = "dry_run";

	/** A preview writes nothing either: the key is ignored as for a dry run. */
	private static final Pattern PREVIEW = Pattern.compile("/v1/journeys/[^/]+/preview");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
				|| !request.getRequestURI().startsWith("/v1/") || isDryRun(request)
				|| PREVIEW.matcher(request.getRequestURI()).matches();
	}

	/**
	 * Reads the query string itself: asking the container for parameters here would turn
	 * an undecodable one into an error outside the handlers. Such a query is no dry run;
	 * the handler answers it with a 400.
	 */
	private static boolean isDryRun(HttpServletRequest request) {
		String query = request.getQueryString();
		if (query == null || !DRY_RUNNABLE.matcher(request.getRequestURI()).matches()) {
			return false;
		}
		List<String> values = new ArrayList<>();
		try {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				String name = URLDecoder.decode((equals < 0) ? pair : pair.substring(0, equals),
						StandardCharsets.UTF_8);
				if (name.equals(DRY_RUN)) {
					values
						.add((equals < 0) ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		return !values.isEmpty() && !values.equals(List.of("false"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = request.getHeader(HEADER);
		Optional<ApiCaller> caller = caller();
		if (caller.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
			this.errors.writeFieldError(response, HttpStatus.UNPROCESSABLE_CONTENT, HEADER,
					key.isBlank() ? "can't be blank" : "is too long (maximum is " + MAX_KEY_LENGTH + " characters)");
			return;
		}
		byte[] body;
		try {
			body = BufferedBody.of(request);
		}
		catch (BufferedBody.TooLarge ex) {
			this.errors.write(response, HttpStatus.CONTENT_TOO_LARGE, BufferedBody.TooLarge.MESSAGE);
			return;
		}
		byte[] hash = hash(request, body);
		var company = caller.get().companyId();
		Instant now = this.clock.instant();
		if (!this.store.claim(company, key, hash, now, now.plus(this.properties.ttl()),
				now.minus(this.properties.staleAfter()))) {
			answerFromStore(company, key, hash, response);
			return;
		}
		ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
		boolean stored = false;
		try {
			chain.doFilter(request, captured);
			if (captured.getStatus() < 500) {
				this.store.complete(company, key, captured.getStatus(), captured.getContentAsByteArray());
				stored = true;
			}
		}
		finally {
			if (!stored) {
				this.store.release(company, key);
			}
			captured.copyBodyToResponse();
		}
	}

	private void answerFromStore(UUID company, String key, byte[] hash, HttpServletResponse response)
			throws IOException {
		Optional<IdempotencyStore.Stored> stored = this.store.find(company, key);
		if (stored.isEmpty()) {
			this.errors.write(response, HttpStatus.CONFLICT,
					"A request with this Idempotency-Key is still being processed; retry later");
			return;
		}
		if (!stored.get().done()) {
			this.errors.write(response, HttpStatus.CONFLICT,
					"A request with this Idempotency-Key is still being processed; retry later");
			return;
		}
		if (!MessageDigest.isEqual(stored.get().requestHash(), hash)) {
			this.errors.write(response, HttpStatus.UNPROCESSABLE_CONTENT,
					"Idempotency-Key was already used with a different request");
			return;
		}
		response.setStatus(stored.get().status());
		response.setHeader(REPLAYED, "true");
		if (stored.get().body().length > 0) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(stored.get().body());
		}
	}

	private static Optional<ApiCaller> caller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.getPrincipal() instanceof ApiCaller caller ? Optional.of(caller)
				: Optional.empty();
	}

	private static byte[] hash(HttpServletRequest request, byte[] body) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			String target = request.getMethod() + " " + request.getRequestURI() + "?"
					+ (request.getQueryString() == null ? "" : request.getQueryString()) + "\n";
			digest.update(target.getBytes(StandardCharsets.UTF_8));
			return digest.digest(body);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every JDK", ex);
		}
	}

}
