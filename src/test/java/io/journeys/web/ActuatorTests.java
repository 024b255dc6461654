package io.journeys.web;

import java.util.List;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health, its probe groups and the Prometheus scrape: open without a key, nothing else
 * exposed.
 */
class ActuatorTests extends ApiTests {

	@Autowired
	private HealthEndpointGroups groups;

	@Test
	void healthAnswersExactlyStatusUpWithoutListingTheGroups() {
		Response health = this.http.get("/actuator/health", null);
		health.hasStatus(200);
		assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
	}

	@Test
	void livenessAndReadinessGroupsAnswerWithoutAKey() {
		for (String group : List.of("liveness", "readiness")) {
			Response probe = this.http.get("/actuator/health/" + group, null);
			probe.hasStatus(200);
			assertThat(probe.body()).as(group).isEqualTo("{\"status\":\"UP\"}");
		}
	}

	@Test
	void readinessIncludesTheDatabaseAndLivenessDoesNot() {
		HealthEndpointGroup readiness = this.groups.get("readiness");
		HealthEndpointGroup liveness = this.groups.get("liveness");
		assertThat(readiness.isMember("db")).isTrue();
		assertThat(readiness.isMember("readinessState")).isTrue();
		assertThat(liveness.isMember("livenessState")).isTrue();
		assertThat(liveness.isMember("db")).isFalse();
	}

	@Test
	void prometheusIsScrapedWithoutAKey() {
		this.http.get("/v1/contacts", newTenant().token()).hasStatus(200);
		Response scrape = this.http.get("/actuator/prometheus", null);
		scrape.hasStatus(200);
		assertThat(scrape.header("Content-Type")).startsWith("text/plain");
		assertThat(scrape.body()).contains("http_server_requests_seconds_bucket{")
			.contains("uri=\"/v1/contacts\"")
			.contains("hikaricp_connections_active{")
			.contains("jvm_memory_used_bytes{")
			.contains("jvm_threads_live_threads")
			.contains("journeys_enrollments_total{outcome=\"enrolled\"}");
	}

	@Test
	void onlyHealthInfoAndPrometheusAreExposed() {
		this.http.get("/actuator/info", null).hasStatus(200);
		for (String endpoint : List.of("env", "beans", "metrics", "loggers", "heapdump", "threaddump", "configprops",
				"mappings", "conditions", "scheduledtasks", "caches", "shutdown", "sbom")) {
			assertThat(this.http.get("/actuator/" + endpoint, null).status()).as(endpoint).isEqualTo(404);
		}
		assertThat(this.http.get("/actuator", null).json().get("_links").propertyNames())
			.containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
	}

}
