package io.journeys.web;

import org.jspecify.annotations.Nullable;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/** For audit columns. */
public final class RequestIds {

	static final String ATTRIBUTE = RequestIds.class.getName();

	private RequestIds() {
	}

	public static @Nullable String current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return attributes == null ? null : (String) attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
	}

}
