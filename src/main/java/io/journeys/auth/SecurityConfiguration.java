package io.journeys.auth;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

import io.journeys.web.ErrorWriter;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ApiKeyService keys, AdminProperties admin,
			ErrorWriter errors) throws Exception {
		JsonEntryPoint entryPoint = new JsonEntryPoint(errors);
		http.csrf(csrf -> csrf.disable())
			.formLogin(form -> form.disable())
			.httpBasic(basic -> basic.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable())
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.addFilterBefore(new BearerAuthenticationFilter(keys, admin, entryPoint, errors), AuthorizationFilter.class)
			.authorizeHttpRequests(requests -> requests.requestMatchers("/v1", "/v1/**")
				.hasRole("API")
				.requestMatchers("/admin", "/admin/**")
				.hasRole("ADMIN")
				.anyRequest()
				.permitAll())
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(
						(request, response, denied) -> errors.write(response, HttpStatus.FORBIDDEN, "Forbidden")));
		return http.build();
	}

	/** Ids are opaque: a strange journey id is a 404, never a 400. */
	@Bean
	WebSecurityCustomizer lenientFirewall(ErrorWriter errors) {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setAllowUrlEncodedSlash(true);
		firewall.setAllowUrlEncodedDoubleSlash(true);
		firewall.setAllowUrlEncodedPeriod(true);
		firewall.setAllowUrlEncodedPercent(true);
		firewall.setAllowSemicolon(true);
		firewall.setAllowBackSlash(true);
		// Tomcat checks these; the firewall's lazy ones would make a junk header a 404
		firewall.setAllowedHeaderValues(value -> true);
		firewall.setAllowedParameterNames(name -> true);
		return web -> web.httpFirewall(firewall)
			.requestRejectedHandler((request, response, rejected) -> errors.write(response, HttpStatus.NOT_FOUND,
					request.getRequestURI().startsWith("/v1/journeys/") ? "Journey not found" : "Not found"));
	}

}
