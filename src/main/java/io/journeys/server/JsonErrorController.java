package io.journeys.server;

import io.journeys.web.ErrorBody;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import io.journeys.persistence.DatabaseFailures;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Errors raised outside Spring MVC, in the same JSON body: never the HTML page. */
@RestController
class JsonErrorController implements ErrorController {

	@RequestMapping(path = "/error", produces = MediaType.ALL_VALUE)
	ResponseEntity<ErrorBody> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
				? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
		if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
				&& DatabaseFailures.isUnavailable(failure)) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, DatabaseFailures.RETRY_AFTER)
				.contentType(MediaType.APPLICATION_JSON)
				.body(new ErrorBody(DatabaseFailures.message(failure)));
		}
		if (status == HttpStatus.NOT_FOUND) {
			return json(status, "Not found");
		}
		if (status.is5xxServerError()) {
			return json(status, "Internal server error");
		}
		return json(status, status.getReasonPhrase());
	}

	private static ResponseEntity<ErrorBody> json(HttpStatus status, String message) {
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new ErrorBody(message));
	}

}
