package io.journeys.validation;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class RecordBodyConfiguration implements WebMvcConfigurer {

	private final JsonMapper mapper;

	private final RecordBinder binder;

	RecordBodyConfiguration(JsonMapper mapper, RecordBinder binder) {
		this.mapper = mapper;
		this.binder = binder;
	}

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new RecordBodyConverter(this.mapper, this.binder));
	}

}
