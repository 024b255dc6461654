package io.journeys.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service speaks JSON only, so the {@code Accept} header is not consulted: an odd one
 * ({@code text/html}, {@code application/xml}, garbage) must neither turn an answer into
 * a 406 or a bodiless 500 nor change its type to {@code application/problem+json}.
 */
@Configuration(proxyBeanMethods = false)
class JsonOnlyContentNegotiation implements WebMvcConfigurer {

	@Override
	public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
		configurer.ignoreAcceptHeader(true).defaultContentType(MediaType.APPLICATION_JSON);
	}

}
