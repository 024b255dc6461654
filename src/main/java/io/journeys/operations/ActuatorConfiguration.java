package io.journeys.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.health.actuate.endpoint.SystemHealthDescriptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.json.JsonMapper;

/** Load balancers want {@code /actuator/health} exactly {@code {"status":"UP"}}. */
@Configuration(proxyBeanMethods = false)
class ActuatorConfiguration {

	/** Boot's endpoint mapper settings (nulls left out), minus {@code groups}. */
	@Bean
	@Primary
	EndpointJsonMapper journeysEndpointJsonMapper() {
		JsonMapper mapper = JsonMapper.builder()
			.changeDefaultPropertyInclusion(
					value -> value.withValueInclusion(Include.NON_NULL).withContentInclusion(Include.NON_NULL))
			.addMixIn(SystemHealthDescriptor.class, WithoutGroups.class)
			.build();
		return () -> mapper;
	}

	@JsonIgnoreProperties("groups")
	abstract static class WithoutGroups {

	}

}
