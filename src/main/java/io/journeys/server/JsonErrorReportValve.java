package io.journeys.server;

import java.io.IOException;
import java.io.Writer;

import io.journeys.web.ErrorWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/** Tomcat's own error report, for requests refused before Spring, as JSON. */
public class JsonErrorReportValve extends ErrorReportValve {

	private final ErrorWriter errors;

	JsonErrorReportValve(ErrorWriter errors) {
		this.errors = errors;
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		String uri = request.getRequestURI();
		if (status == 400 && uri != null && uri.startsWith("/v1/journeys/")) {
			// a journey id Tomcat cannot decode (a %00, say) is just an unknown journey
			status = 404;
			response.setStatus(404);
		}
		try {
			response.setContentType("application/json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(this.errors.json(message(status, request.getMethod(), uri)));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response is committed: nothing more to say
		}
	}

	/** Nothing from the request is echoed. */
	private static String message(int status, String method, String uri) {
		return switch (status) {
			case 404 -> uri != null && uri.startsWith("/v1/journeys/") ? "Journey not found" : "Not found";
			// Tomcat answers 501 for CONNECT and for a Transfer-Encoding but chunked
			case 501 -> "CONNECT".equals(method) ? "The CONNECT method is not supported"
					: "Transfer-Encoding is not supported: send the body with Content-Length or chunked";
			case 505 -> "HTTP version not supported: use HTTP/1.1";
			default -> status >= 500 ? "Internal server error" : "Bad request";
		};
	}

}
