package io.journeys.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Registers the filters every request passes, each once, in a fixed order around
 * security.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/** Right inside the request id, around everything else: one log line per request. */
	@Bean
	FilterRegistrationBean<RequestLogFilter> requestLogFilter() {
		FilterRegistrationBean<RequestLogFilter> registration = new FilterRegistrationBean<>(new RequestLogFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	/** Right after the security chain (order -100), while the caller is known. */
	@Bean
	FilterRegistrationBean<RequestLogFilter.CallerCapture> requestLogCallerCapture() {
		FilterRegistrationBean<RequestLogFilter.CallerCapture> registration = new FilterRegistrationBean<>(
				new RequestLogFilter.CallerCapture());
		registration.setOrder(-99);
		return registration;
	}

	/** Runs after the security chain (order -100): a 401 comes before a 413. */
	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(HttpProperties properties) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxBodySize().toBytes(), properties.maxBulkBodySize().toBytes()));
		registration.setOrder(0);
		return registration;
	}

}
