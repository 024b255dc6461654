package io.journeys.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.journeys.auth.ApiCaller;
import io.journeys.validation.RecordBinder;
import io.journeys.web.ErrorWriter;
import io.journeys.web.HttpProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * {@code POST /v1/events} bodies, bound and refused in Spring MVC without a server or a
 * database: the service is a mock that records what reached it.
 */
@WebMvcTest(EventController.class)
@AutoConfigureMockMvc(addFilters = false)
@Import({ RecordBinder.class, ErrorWriter.class })
@EnableConfigurationProperties(HttpProperties.class)
class EventBindingTests {

	private static final ApiCaller CALLER = new ApiCaller(UUID.fromString("0197a000-0000-7000-8000-00000000000c"),
			UUID.fromString("0197a000-0000-7000-8000-00000000000a"));

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	EventService events;

	/** Without the filters, the caller is put where the argument resolver reads it. */
	@BeforeEach
	void signIn() {
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(CALLER, null));
	}

	@AfterEach
	void signOut() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void eachEventIsBoundWithItsPropertiesAsSent() {
		given(this.events.accept(any(), any())).willReturn(new EventBatchResult(1, 0, List.of()));
		assertThat(this.mvc.post().uri("/v1/events").contentType(MediaType.APPLICATION_JSON).content("""
				{"events": [{"id": "e1", "name": "bought", "contact_email_address": "a@x.com",
				  "properties": {"items": [1, 2], "total": 9.5}, "occurred_at": "2026-06-01T10:00:00+02:00"}]}
				""")).hasStatusOk()
			.bodyJson()
			.isLenientlyEqualTo("{\"accepted\": 1, \"duplicates\": 0, \"not_found\": []}");
		JsonMapper json = JsonMapper.builder().build();
		then(this.events).should()
			.accept(eq(CALLER.companyId()),
					eq(List.of(new NewEvent("e1", "bought", "a@x.com",
							(ObjectNode) json.readTree("{\"items\": [1, 2], \"total\": 9.5}"),
							Instant.parse("2026-06-01T08:00:00Z")))));
	}

	@Test
	void fieldsOfTheWrongTypeAreA422AndNothingRuns() {
		assertThat(this.mvc.post()
			.uri("/v1/events")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"events\": [{\"name\": [\"x\"], \"contact_email_address\": \"a@x.com\", "
					+ "\"occurred_at\": 5}, \"not an event\"]}"))
			.hasStatus(422)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\": {\"events\": [\"must be an array of objects\"]}}");
		assertThat(this.mvc.post()
			.uri("/v1/events")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"events\": [{\"name\": [\"x\"], \"contact_email_address\": \"a@x.com\", \"occurred_at\": 5, "
					+ "\"properties\": \"plan=pro\"}]}"))
			.hasStatus(422)
			.bodyJson()
			.isLenientlyEqualTo("{\"error\": {\"events[0].name\": [\"must be a string\"], "
					+ "\"events[0].occurred_at\": [\"must be a string\"], "
					+ "\"events[0].properties\": [\"must be an object\"]}}");
		then(this.events).should(never()).accept(any(), any());
	}

}
