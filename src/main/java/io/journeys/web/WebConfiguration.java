package io.journeys.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the filters of this package, each once, at their place in
 * {@link FilterOrder}, and JSON as the only answer type.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	/**
	 * The service speaks JSON only, so the {@code Accept} header is not consulted: an odd
	 * one ({@code text/html}, {@code application/xml}, garbage) must neither turn an
	 * answer into a 406 or a bodiless 500 nor change its type to
	 * {@code application/problem+json}.
	 */
	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON);
	}

	@Bean
	FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
		FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
		registration.setOrder(FilterOrder.REQUEST_ID);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestLogFilter> requestLogFilter() {
		FilterRegistrationBean<RequestLogFilter> registration = new FilterRegistrationBean<>(new RequestLogFilter());
		registration.setOrder(FilterOrder.REQUEST_LOG);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestBodyFilter> requestBodyLimitFilter(HttpProperties properties, ErrorWriter errors) {
		FilterRegistrationBean<RequestBodyFilter> registration = new FilterRegistrationBean<>(new RequestBodyFilter(
				properties.maxBodySize().toBytes(), properties.maxBulkBodySize().toBytes(), errors));
		registration.setOrder(FilterOrder.BODY_LIMIT);
		return registration;
	}

}
