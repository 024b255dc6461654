package io.journeys.web;

import jakarta.servlet.http.HttpServletRequest;

import io.journeys.persistence.DatabaseFailures;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** The one place where exceptions become the contract's JSON error bodies. */
@RestControllerAdvice
class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler
	ResponseEntity<ErrorBody> problem(ApiProblem problem) {
		return ResponseEntity.status(problem.status()).body(new ErrorBody(problem.error()));
	}

	/**
	 * A body that is not JSON: 400, or 415 when its Content-Type says it is something
	 * else. Spring checks the Content-Type of POST, PUT and PATCH bodies before reading
	 * them, but reads a DELETE's as missing when no converter takes its type.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException ex, HttpServletRequest request) {
		if (RequestBodyLimitFilter.isTooLarge(ex)) {
			return error(HttpStatus.CONTENT_TOO_LARGE, RequestBodyLimitFilter.MESSAGE);
		}
		if (hasOtherThanJsonContentType(request)) {
			return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
		}
		return error(HttpStatus.BAD_REQUEST, "request body is not valid JSON");
	}

	private static boolean hasOtherThanJsonContentType(HttpServletRequest request) {
		MediaType type = contentTypeOf(request);
		return type != null
				&& !(MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json"));
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> unsupportedMediaType(HttpMediaTypeNotSupportedException ex) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
	}

	/**
	 * A multipart Content-Type makes the dispatcher parse the body as parts before any
	 * handler runs.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorBody> multipart(MultipartException ex) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
	}

	/**
	 * Tomcat refuses query (or form) parameters it cannot decode, such as
	 * {@code limit=%zz}.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorBody> undecodableParameters(InvalidParameterException ex) {
		return error(HttpStatus.BAD_REQUEST, "request parameters are not valid");
	}

	/**
	 * Spring refuses a wildcard request Content-Type ({@code *}{@code /*},
	 * {@code application/*}) with a bare IllegalArgumentException; that is a 415,
	 * anything else stays unexpected.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorBody> illegalArgument(IllegalArgumentException ex, HttpServletRequest request) {
		if (hasWildcardContentType(request)) {
			return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
		}
		return unexpected(ex);
	}

	private static boolean hasWildcardContentType(HttpServletRequest request) {
		MediaType type = contentTypeOf(request);
		return type != null && (type.isWildcardType() || type.isWildcardSubtype());
	}

	/** The request's Content-Type; null when it has none, or one that does not parse. */
	private static @Nullable MediaType contentTypeOf(HttpServletRequest request) {
		try {
			String contentType = request.getContentType();
			return contentType == null ? null : MediaType.parseMediaType(contentType);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> methodNotAllowed(HttpRequestMethodNotSupportedException ex) {
		HttpHeaders headers = new HttpHeaders();
		if (ex.getSupportedHttpMethods() != null) {
			headers.setAllow(ex.getSupportedHttpMethods());
		}
		return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
			.headers(headers)
			.body(new ErrorBody("Method " + ex.getMethod() + " not allowed"));
	}

	@ExceptionHandler({ NoResourceFoundException.class, NoHandlerFoundException.class })
	ResponseEntity<ErrorBody> noRoute(Exception ex) {
		return error(HttpStatus.NOT_FOUND, "Not found");
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> missingParameter(MissingServletRequestParameterException ex) {
		return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
			.body(new ErrorBody(java.util.Map.of(ex.getParameterName(), java.util.List.of("can't be blank"))));
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT)
			.body(new ErrorBody(java.util.Map.of(ex.getName(), java.util.List.of("is invalid"))));
	}

	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
			QueryTimeoutException.class })
	ResponseEntity<ErrorBody> databaseUnavailable(Exception ex) {
		DatabaseFailures.log(log, "database unavailable", ex);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, DatabaseFailures.RETRY_AFTER)
			.body(new ErrorBody(DatabaseFailures.message(ex)));
	}

	/**
	 * A lock conflict that survived the retries: nothing was written, the caller may
	 * retry.
	 */
	@ExceptionHandler
	ResponseEntity<ErrorBody> concurrencyFailure(org.springframework.dao.ConcurrencyFailureException ex) {
		log.warn("concurrency failure: {}", ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(new ErrorBody("The request conflicted with a concurrent change and was not applied; retry it"));
	}

	@ExceptionHandler
	ResponseEntity<ErrorBody> unexpected(Exception ex) {
		if (DatabaseFailures.isNotSupported(ex)) {
			log.error("the database refused a statement as not supported (SQLSTATE 0A000), a statement to change "
					+ "for this engine", ex);
			return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error");
		}
		if (DatabaseFailures.isUnavailable(ex)) {
			return databaseUnavailable(ex);
		}
		log.error("unexpected error", ex);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error");
	}

	private static ResponseEntity<ErrorBody> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(new ErrorBody(message));
	}

}
