package io.journeys.enrollment;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EnrollmentResponsesTests {

	/**
	 * PostgreSQL's {@code "C"} collation orders UTF-8 bytes, that is code points; UTF-16
	 * units would put U+1F600 (a surrogate pair, D83D DE00) before U+FF21.
	 */
	@Test
	void emailsAreListedByCodePointEachOnce() {
		String fullwidth = "\uFF21@x.com";
		String emoji = "\uD83D\uDE00@x.com";
		assertThat(io.journeys.contact.Emails
			.inByteOrder(List.of(emoji, "b@x.com", fullwidth, "a@x.com", "b@x.com", "a@x.co")))
			.containsExactly("a@x.co", "a@x.com", "b@x.com", fullwidth, emoji);
	}

}
