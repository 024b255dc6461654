package io.journeys.operations;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.health.actuate.endpoint.SystemHealthDescriptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the actuator writes JSON. {@code GET /actuator/health} answers exactly
 * {@code {"status":"UP"}} (the contract of load balancers and of the smoke test), yet the
 * {@code liveness} and {@code readiness} health groups exist; Boot lists the names of all
 * groups in the root answer, so the actuator's mapper leaves them out.
 */
@Configuration(proxyBeanMethods = false)
class ActuatorConfiguration {

	/**
	 * Boot's isolated endpoint mapper (nulls left out), plus: no {@code groups} in the
	 * root health answer. Primary over the one Boot declares.
	 */
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
