package io.journeys.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** Writes the error body from filters, where no message converter is at hand. */
public final class JsonResponses {

	private JsonResponses() {
	}

	public static void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		writeJson(response, status.value(), "{\"error\":\"" + escape(message) + "\"}");
	}

	/** A field error, {@code {"error": {"<field>": ["<message>"]}}}. */
	public static void writeFieldError(HttpServletResponse response, HttpStatus status, String field, String message)
			throws IOException {
		writeJson(response, status.value(), "{\"error\":{\"" + escape(field) + "\":[\"" + escape(message) + "\"]}}");
	}

	public static void writeJson(HttpServletResponse response, int status, String json) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(json);
	}

	private static String escape(String text) {
		StringBuilder out = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

}
