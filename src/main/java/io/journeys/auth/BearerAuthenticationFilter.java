package io.journeys.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.journeys.persistence.DatabaseFailures;
import io.journeys.web.ErrorWriter;
import io.journeys.web.RequestLogFilter;
import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/** Each of {@code /v1} and {@code /admin} refuses the other's credential. */
final class BearerAuthenticationFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(BearerAuthenticationFilter.class);

	static final String API_ROLE = "ROLE_API";

	static final String ADMIN_ROLE = "ROLE_ADMIN";

	private final ApiKeyService keys;

	private final AdminProperties admin;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	private final JsonEntryPoint entryPoint;

	private final ErrorWriter errors;

	BearerAuthenticationFilter(ApiKeyService keys, AdminProperties admin, JsonEntryPoint entryPoint,
			ErrorWriter errors) {
		this.entryPoint = entryPoint;
		this.errors = errors;
		this.keys = keys;
		this.admin = admin;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (isUnder(path, "/v1")) {
			Optional<ApiCaller> caller;
			try {
				caller = Optional.ofNullable(bearer(request)).flatMap(this.keys::authenticate);
			}
			catch (RuntimeException ex) {
				if (!DatabaseFailures.isUnavailable(ex)) {
					throw ex;
				}
				DatabaseFailures.log(log, "database unavailable", ex);
				this.errors.writeDatabaseUnavailable(response, ex);
				return;
			}
			if (caller.isEmpty()) {
				this.entryPoint.unauthorized(response, JsonEntryPoint.API_MESSAGE);
				return;
			}
			authenticate(caller.get(), API_ROLE);
			// the log line is written after the security chain clears its context
			request.setAttribute(RequestLogFilter.COMPANY_ATTRIBUTE, caller.get().companyId());
		}
		else if (isUnder(path, "/admin")) {
			if (!this.admin.enabled()) {
				this.errors.write(response, HttpStatus.NOT_FOUND, "Not found");
				return;
			}
			String token = bearer(request);
			if (token == null || !constantTimeEquals(token, this.admin.token())) {
				this.entryPoint.unauthorized(response, JsonEntryPoint.ADMIN_MESSAGE);
				return;
			}
			authenticate("admin", ADMIN_ROLE);
		}
		chain.doFilter(request, response);
	}

	private void authenticate(Object principal, String role) {
		var authentication = UsernamePasswordAuthenticationToken.authenticated(principal, null,
				List.of(new SimpleGrantedAuthority(role)));
		var context = this.contexts.createEmptyContext();
		context.setAuthentication(authentication);
		this.contexts.setContext(context);
	}

	private static boolean isUnder(String path, String prefix) {
		return path.equals(prefix) || path.startsWith(prefix + "/");
	}

	private static @Nullable String bearer(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = header.substring(7).strip();
		return token.isEmpty() ? null : token;
	}

	private static boolean constantTimeEquals(String given, @Nullable String expected) {
		if (expected == null) {
			return false;
		}
		return MessageDigest.isEqual(ApiTokens.hash(given), ApiTokens.hash(expected)) && MessageDigest
			.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
	}

}
