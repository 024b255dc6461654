package io.journeys.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the filters of this package, each once, at their place in
 * {@link FilterOrder}, and the reader of request records.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	private final JsonMapper mapper;

	private final JsonRequests requests;

	WebConfiguration(JsonMapper mapper, JsonRequests requests) {
		this.mapper = mapper;
		this.requests = requests;
	}

	/** Request bodies bind to records through {@link JsonRequests}. */
	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new RecordBodyConverter(this.mapper, this.requests));
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
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(HttpProperties properties,
			ErrorWriter errors) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxBodySize().toBytes(), properties.maxBulkBodySize().toBytes(),
						errors));
		registration.setOrder(FilterOrder.BODY_LIMIT);
		return registration;
	}

}
