package io.journeys.enrollment;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.journeys.enrollment.EnrollStatements.EnrollResult;
import io.journeys.enrollment.EnrollStatements.NotEnrolled;
import io.journeys.journey.JourneyNotFound;
import io.journeys.validation.RecordBinder;
import io.journeys.web.ErrorWriter;
import io.journeys.web.HttpProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;

/**
 * The enroll endpoint's body, read, bound and refused as the contract says, in Spring MVC
 * without a server or a database: the service behind it is a mock that records what
 * reached it, so a refused body is seen never to reach it.
 */
@WebMvcTest(EnrollmentController.class)
@AutoConfigureMockMvc(addFilters = false)
@Import({ RecordBinder.class, ErrorWriter.class })
@EnableConfigurationProperties(HttpProperties.class)
class RequestBindingTests {

	private static final String ENROLL = "/v1/journeys/0197a000-0000-7000-8000-000000000001/enroll";

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	EnrollmentService enrollments;

	@MockitoBean
	EnrollmentRecords records;

	@MockitoBean
	EnrollmentMetrics metrics;

	@Test
	void aBodyIsBoundToItsRecord() {
		EnrollResult result = new EnrollResult(1, new NotEnrolled(List.of(), List.of(), List.of()));
		given(this.enrollments.enroll(any(), any(), any())).willReturn(result);
		given(this.metrics.counted(result)).willReturn(result);
		assertThat(this.mvc.post()
			.uri(ENROLL)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"contact_email_addresses\": [\"a@example.com\"], \"unknown\": 1}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.enrolled_count")
			.isEqualTo(1);
		then(this.enrollments).should()
			.enroll(any(), eq("0197a000-0000-7000-8000-000000000001"),
					eq(new ContactsAndLists(List.of("a@example.com"), List.of())));
	}

	@Test
	void noBodyAtAllReadsAsAnEmptyObject() {
		given(this.enrollments.enroll(any(), any(), any())).willThrow(new JourneyNotFound());
		assertThat(this.mvc.post().uri(ENROLL)).hasStatus(404);
		then(this.enrollments).should().enroll(any(), any(), eq(new ContactsAndLists(null, null)));
	}

	@Test
	void everyFieldOfTheWrongTypeIsA422AndNothingRuns() {
		assertThat(this.mvc.post()
			.uri(ENROLL)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"contact_email_addresses\": \"a@example.com\", \"list_email_addresses\": [1]}")).hasStatus(422)
			.bodyJson()
			.isLenientlyEqualTo("""
					{"error": {"contact_email_addresses": ["must be an array of strings"],
					           "list_email_addresses": ["must be an array of strings"]}}
					""");
		then(this.enrollments).should(never()).enroll(any(), any(), any());
	}

	@Test
	void aTopLevelThatIsNotAnObjectIs400() {
		assertThat(this.mvc.post().uri(ENROLL).contentType(MediaType.APPLICATION_JSON).content("[]")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("request body must be a JSON object");
		then(this.enrollments).should(never()).enroll(any(), any(), any());
	}

	@Test
	void textThatIsNotUtf8Is400() {
		byte[] overlong = "{\"contact_email_addresses\": [\"a\u0000\"]}".getBytes(StandardCharsets.UTF_8);
		overlong[overlong.length - 4] = (byte) 0xC0;
		overlong[overlong.length - 3] = (byte) 0x80;
		assertThat(this.mvc.post().uri(ENROLL).contentType(MediaType.APPLICATION_JSON).content(overlong)).hasStatus(400)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("request body is not valid JSON: it is not valid UTF-8");
		then(this.enrollments).should(never()).enroll(any(), any(), any());
	}

	@Test
	void aCompressedBodyIs415() {
		assertThat(this.mvc.post()
			.uri(ENROLL)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Content-Encoding", "gzip")
			.content("{}")).hasStatus(415);
		then(this.enrollments).should(never()).enroll(any(), any(), any());
	}

	@Test
	void anotherContentTypeIs415() {
		assertThat(this.mvc.post().uri(ENROLL).contentType(MediaType.TEXT_PLAIN).content("{}")).hasStatus(415)
			.bodyJson()
			.extractingPath("$.error")
			.isEqualTo("Content-Type must be application/json");
	}

}
