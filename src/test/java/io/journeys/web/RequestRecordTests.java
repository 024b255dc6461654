package io.journeys.web;

import java.util.Collections;
import java.util.List;

import io.journeys.support.ApiTests;
import io.journeys.support.Response;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a body becomes a request record and its 422: every wrong field at once, one message
 * per field (presence before length before format), nothing reported inside a field that
 * has its own error, and PATCH telling an absent field from one sent as {@code null}.
 */
class RequestRecordTests extends ApiTests {

	@Test
	void typeErrorsAndConstraintViolationsAnswerTogether() {
		Tenant tenant = newTenant();
		this.http
			.post("/v1/contacts", tenant.token(),
					"{\"email_address\": 5, \"first_name\": \"" + "x".repeat(256)
							+ "\", \"last_name\": [\"a\"], \"status\": \"gone\"}")
			.is(422, """
					{"error": {"email_address": ["must be a string"],
					 "first_name": ["is too long (maximum is 255 characters)"],
					 "last_name": ["must be a string"], "status": ["is not included in the list"]}}""");
	}

	@Test
	void aFieldReportsItsMostBasicFault() {
		Tenant tenant = newTenant();
		String blankAndLong = " ".repeat(300);
		this.http.post("/v1/journeys", tenant.token(), "{\"name\": \"" + blankAndLong + "\"}")
			.is(422, "{\"error\": {\"name\": [\"can't be blank\"]}}");
		this.http.post("/v1/contacts", tenant.token(), "{\"email_address\": \"" + "a".repeat(1001) + "\"}")
			.is(422, "{\"error\": {\"email_address\": [\"is too long (maximum is 1000 characters)\"]}}");
		this.http.post("/v1/contacts", tenant.token(), "{\"email_address\": \"no at sign\"}")
			.is(422, "{\"error\": {\"email_address\": [\"is invalid\"]}}");
	}

	@Test
	void aListOverItsLimitIsNotReadFurther() {
		Tenant tenant = newTenant();
		List<String> items = Collections.nCopies(10_001, "{\"email_address\": 5}");
		this.http.post("/v1/contacts/bulk", tenant.token(), "{\"contacts\": [" + String.join(",", items) + "]}")
			.is(422, "{\"error\": {\"contacts\": [\"is too long (maximum is 10000)\"]}}");
		this.http.post("/v1/contacts/bulk", tenant.token(), "{\"contacts\": [{\"email_address\": 5}, 3]}")
			.is(422, "{\"error\": {\"contacts\": [\"must be an array of objects\"]}}");
		this.http.post("/v1/contacts/bulk", tenant.token(), "{\"contacts\": [{\"email_address\": 5}, {}]}").is(422, """
				{"error": {"contacts[0].email_address": ["must be a string"],
				 "contacts[1].email_address": ["can't be blank"]}}""");
	}

	@Test
	void patchTellsAbsentFromNull() {
		Tenant tenant = newTenant();
		String id = this.http
			.post("/v1/contacts", tenant.token(),
					"{\"email_address\": \"a@example.com\", \"first_name\": \"Ada\", \"last_name\": \"Lovelace\"}")
			.text("id");
		this.http.patch("/v1/contacts/" + id, tenant.token(), "{\"first_name\": null}").hasStatus(200);
		Response contact = this.http.get("/v1/contacts/" + id, tenant.token()).hasStatus(200);
		assertThat(contact.json().get("first_name").isNull()).isTrue();
		assertThat(contact.text("last_name")).isEqualTo("Lovelace");
	}

}
