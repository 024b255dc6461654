package io.journeys.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error contract of {@link ApiExceptionHandler} alone, on Spring MVC without a
 * server: Spring's own refusals keep the status and headers Spring gives them and speak
 * {@code {"error": ...}} with the messages of {@code messages.properties}; three take the
 * contract's status instead; a 500 names nothing internal.
 */
class ApiExceptionHandlerTests {

	private final MockMvcTester mvc = MockMvcTester
		.create(MockMvcBuilders.standaloneSetup(new Things()).setControllerAdvice(handler()).build());

	private static ApiExceptionHandler handler() {
		ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
		messages.setBasename("messages");
		ApiExceptionHandler handler = new ApiExceptionHandler();
		handler.setMessageSource(messages);
		return handler;
	}

	@Test
	void aMethodNotAllowedKeepsSpringsAllowHeader() {
		MvcTestResult result = this.mvc.delete().uri("/things").exchange();
		assertThat(result).hasStatus(405).bodyJson().isStrictlyEqualTo("{\"error\": \"Method DELETE not allowed\"}");
		assertThat(result.getResponse().getHeader("Allow").split(", ")).containsExactlyInAnyOrder("GET", "POST");
	}

	@Test
	void anotherContentTypeIs415() {
		assertThat(this.mvc.post().uri("/things").contentType(MediaType.TEXT_PLAIN).content("x")).hasStatus(415)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\": \"Content-Type must be application/json\"}");
	}

	@Test
	void aBodyThatIsNotJsonIs400() {
		assertThat(this.mvc.post().uri("/things").contentType(MediaType.APPLICATION_JSON).content("{")).hasStatus(400)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\": \"request body is not valid JSON\"}");
	}

	@Test
	void aMissingOrMistypedQueryParameterIs422OnTheField() {
		assertThat(this.mvc.get().uri("/things")).hasStatus(422)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\": {\"limit\": [\"can't be blank\"]}}");
		assertThat(this.mvc.get().uri("/things?limit=ten")).hasStatus(422)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\": {\"limit\": [\"is invalid\"]}}");
	}

	@Test
	void aProblemOfTheContractAndAnUnknownRoute() {
		assertThat(this.mvc.get().uri("/things?limit=0")).hasStatus(404)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\": \"Thing not found\"}");
	}

	@Test
	void springsOwn500NamesNothingInternal() {
		assertThat(this.mvc.get().uri("/things?limit=500")).hasStatus(500)
			.bodyJson()
			.isStrictlyEqualTo("{\"error\": \"Internal server error\"}");
	}

	@RestController
	static class Things {

		@GetMapping("/things")
		String list(@RequestParam int limit) {
			if (limit == 0) {
				throw new NotFound("Thing");
			}
			if (limit == 500) {
				throw new ConversionNotSupportedException("secret internals", Things.class, null);
			}
			return "[]";
		}

		@PostMapping("/things")
		String create(@RequestBody java.util.Map<String, Object> thing) {
			return "{}";
		}

	}

}
