package io.journeys.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.journeys.persistence.DatabaseFailures;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become the contract's {@code {"error": ...}} bodies.
 * Spring MVC's own keep their statuses and headers, but for three the contract names: an
 * unreadable body may be a 413 or 415, a missing or mistyped query parameter a 422.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		Object error;
		if (body instanceof ErrorBody given) {
			error = given;
		}
		else if (body instanceof ProblemDetail problem && problem.getProperties() != null
				&& problem.getProperties().containsKey(ApiProblem.ERROR)) {
			error = new ErrorBody(problem.getProperties().get(ApiProblem.ERROR));
		}
		else if (statusCode.value() == HttpStatus.INTERNAL_SERVER_ERROR.value()) {
			// Spring's details of its 500s name internals; the log has them
			log.error("Spring MVC answered {}: {}", statusCode.value(), body);
			error = new ErrorBody("Internal server error");
		}
		else {
			error = new ErrorBody(body instanceof ProblemDetail problem && problem.getDetail() != null
					? problem.getDetail() : HttpStatus.valueOf(statusCode.value()).getReasonPhrase());
		}
		return ResponseEntity.status(statusCode).headers(headers).body(error);
	}

	/** Spring reads a DELETE's body of another Content-Type as missing: 415 here. */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (RequestBodyFilter.isTooLarge(ex)) {
			return createResponseEntity(new ErrorBody(RequestBodyFilter.BufferedBody.TooLarge.MESSAGE), headers,
					HttpStatus.CONTENT_TOO_LARGE, request);
		}
		MediaType type = request instanceof ServletWebRequest servlet ? contentTypeOf(servlet.getRequest()) : null;
		if (type != null
				&& !(MediaType.APPLICATION_JSON.isCompatibleWith(type) || type.getSubtype().endsWith("+json"))) {
			return createResponseEntity(new ErrorBody(NOT_JSON), headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
		}
		return createResponseEntity(new ErrorBody("request body is not valid JSON"), headers, HttpStatus.BAD_REQUEST,
				request);
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return createResponseEntity(new ErrorBody(Map.of(ex.getParameterName(), List.of("can't be blank"))), headers,
				HttpStatus.UNPROCESSABLE_CONTENT, request);
	}

	@Override
	protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
				: String.valueOf(ex.getPropertyName());
		return createResponseEntity(new ErrorBody(Map.of(name, List.of("is invalid"))), headers,
				HttpStatus.UNPROCESSABLE_CONTENT, request);
	}

	/** Multipart Content-Types are parsed as parts before any handler runs. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> multipart(MultipartException ex) {
		return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON);
	}

	/** Tomcat refuses parameters it cannot decode, such as {@code limit=%zz}. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> undecodableParameters(InvalidParameterException ex) {
		return error(HttpStatus.BAD_REQUEST, "request parameters are not valid");
	}

	/** Spring refuses wildcard Content-Types with a bare IllegalArgumentException. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> illegalArgument(IllegalArgumentException ex, HttpServletRequest request) {
		MediaType type = contentTypeOf(request);
		if (type != null && (type.isWildcardType() || type.isWildcardSubtype())) {
			return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, NOT_JSON);
		}
		return unexpected(ex);
	}

	private static @Nullable MediaType contentTypeOf(HttpServletRequest request) {
		try {
			String contentType = request.getContentType();
			return contentType == null ? null : MediaType.parseMediaType(contentType);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class,
			QueryTimeoutException.class })
	ResponseEntity<ErrorBody> databaseUnavailable(Exception ex) {
		DatabaseFailures.log(log, "database unavailable", ex);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, DatabaseFailures.RETRY_AFTER)
			.body(new ErrorBody(DatabaseFailures.message(ex)));
	}

	/** A lock conflict that outlived the retries: nothing written, so 503 and retry. */
	@ExceptionHandler
	ResponseEntity<ErrorBody> concurrencyFailure(ConcurrencyFailureException ex) {
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

	private static final String NOT_JSON = "Content-Type must be application/json";

	private static ResponseEntity<ErrorBody> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(new ErrorBody(message));
	}

}
