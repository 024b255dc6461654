package io.journeys.paging;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

class PageQueryResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == PageQuery.class;
	}

	@Override
	public PageQuery resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
			NativeWebRequest request, WebDataBinderFactory binders) {
		return PageQuery.of(value(request, "limit"), value(request, "cursor"));
	}

	/** Repeated values joined, as {@code @RequestParam} joins them: they fail as one. */
	private static @Nullable String value(NativeWebRequest request, String name) {
		String[] values = request.getParameterValues(name);
		return values == null ? null : String.join(",", values);
	}

}
