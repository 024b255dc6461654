package io.journeys.validation;

import java.lang.annotation.ElementType;

import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;

import org.springframework.boot.validation.autoconfigure.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
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

	/**
	 * Hibernate Validator asks JPA whether each property of each bean is loaded before
	 * validating it, which cost POST /v1/events about a fifth of its CPU for 1,000 events
	 * (bench/results/2026-12-07-events.md). Request records are never entities: every
	 * property is reachable.
	 */
	@Bean
	static ValidationConfigurationCustomizer everyPropertyReachable() {
		return configuration -> configuration.traversableResolver(new TraversableResolver() {

			@Override
			public boolean isReachable(Object bean, Path.Node property, Class<?> rootBean, Path pathToProperty,
					ElementType elementType) {
				return true;
			}

			@Override
			public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBean, Path pathToProperty,
					ElementType elementType) {
				return true;
			}

		});
	}

	@Override
	public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
		builder.addCustomConverter(new RecordBodyConverter(this.mapper, this.binder));
	}

}
