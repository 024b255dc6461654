package io.journeys.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	/** JSON only: an odd {@code Accept} makes no 406, bodiless 500 or problem+json. */
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
