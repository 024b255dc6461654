package io.journeys.contact;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailsTests {

	@Test
	void trimsUnicodeWhitespaceAndLowercases() {
		assertThat(Emails.normalize("  User@Example.COM\t\n")).isEqualTo("user@example.com");
		assertThat(Emails.normalize("\u00a0\u2003a@b.c\u3000\u200b\ufeff")).isEqualTo("a@b.c");
		assertThat(Emails.normalize("İ@X.com")).isEqualTo("i̇@x.com");
	}

	@Test
	void keepsInnerSpaces() {
		assertThat(Emails.normalize(" a b@c ")).isEqualTo("a b@c");
	}

	@Test
	void normalizeAllDropsEmptiesAndDuplicatesKeepingFirstSeenOrder() {
		assertThat(Emails.normalizeAll(List.of("B@x", " ", "a@x", "b@X ", "", "A@x"))).containsExactly("b@x", "a@x");
	}

	@Test
	void plausibleAddressesHaveOneAtAndNoSpaces() {
		assertThat(Emails.isPlausible("a@b")).isTrue();
		assertThat(Emails.isPlausible("a b@c")).isFalse();
		assertThat(Emails.isPlausible("a@b@c")).isFalse();
		assertThat(Emails.isPlausible("@b")).isFalse();
		assertThat(Emails.isPlausible("a@" + "b".repeat(260))).isFalse();
	}

}
