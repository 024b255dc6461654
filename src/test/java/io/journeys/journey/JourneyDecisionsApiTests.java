package io.journeys.journey;

import io.journeys.support.ApiTests;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps that decide, as a journey takes and shows them, and the 422s of bad ones. */
class JourneyDecisionsApiTests extends ApiTests {

	private Tenant tenant;

	@BeforeEach
	void setUp() {
		this.tenant = newTenant();
	}

	@Test
	void branchesSplitsAndWaitsUntilALocalTimeAreShownAsSent() {
		JsonNode created = this.http
			.post("/v1/journeys", this.tenant.token(),
					"""
							{"name": "Decides", "steps": [
							  {"id": "who", "type": "branch", "cases": [
							    {"when": {"attribute": "address.country", "in": ["FR", "BE"]}, "next": "ab"}],
							   "otherwise": "morning"},
							  {"id": "ab", "type": "split", "paths": [{"weight": 1, "next": "morning"}, {"weight": 3, "next": "end"}]},
							  {"id": "morning", "type": "wait_until", "time": "09:00", "days": ["Mon", "fri"],
							   "time_zone": "Europe/Paris", "spread": "PT15M"},
							  {"id": "local", "type": "wait_until", "time": "18:30"}]}
							""")
			.hasStatus(201)
			.json();
		assertThat(created.get("steps").toString()).isEqualTo("[{\"id\":\"who\",\"type\":\"branch\",\"cases\":["
				+ "{\"when\":{\"attribute\":\"address.country\",\"in\":[\"FR\",\"BE\"]},\"next\":\"ab\"}],"
				+ "\"otherwise\":\"morning\"},"
				+ "{\"id\":\"ab\",\"type\":\"split\",\"paths\":[{\"weight\":1,\"next\":\"morning\"},"
				+ "{\"weight\":3,\"next\":\"end\"}]},"
				+ "{\"id\":\"morning\",\"type\":\"wait_until\",\"time\":\"09:00\",\"days\":[\"mon\",\"fri\"],"
				+ "\"time_zone\":\"Europe/Paris\",\"spread\":\"PT15M\"},"
				+ "{\"id\":\"local\",\"type\":\"wait_until\",\"time\":\"18:30\"}]");
	}

	private void refused(String steps, String errors) {
		this.http.post("/v1/journeys", this.tenant.token(), "{\"name\": \"Bad\", \"steps\": " + steps + "}")
			.is(422, errors);
	}

	@Test
	void aBranchNeedsCasesWithConditionsAndTargets() {
		refused("[{\"type\": \"branch\"}]", "{\"error\": {\"steps[0].cases\": [\"can't be blank\"]}}");
		refused("[{\"type\": \"branch\", \"next\": \"end\", \"cases\": [{\"next\": \"end\"}]}]",
				"{\"error\": {\"steps[0].next\": [\"must be blank for a branch step\"], "
						+ "\"steps[0].cases[0].when\": [\"can't be blank\"]}}");
		refused("[{\"type\": \"branch\", \"cases\": [{\"when\": {\"property\": \"plan\", \"equals\": 1}, "
				+ "\"next\": \"nowhere\"}]}]",
				"{\"error\": {\"steps[0].cases[0].when.property\": " + "[\"is not allowed here; use attribute\"]}}");
		refused("[{\"type\": \"branch\", \"cases\": [{\"when\": {\"attribute\": \"plan\", \"equals\": 1}, "
				+ "\"next\": \"nowhere\"}]}]",
				"{\"error\": {\"steps[0].cases[0].next\": [\"does not name a step of this journey\"]}}");
		String many = "{\"when\": {\"attribute\": \"a\", \"exists\": true}, \"next\": \"end\"}, ".repeat(21);
		refused("[{\"type\": \"branch\", \"cases\": [" + many.substring(0, many.length() - 2) + "]}]",
				"{\"error\": {\"steps[0].cases\": [\"has too many cases (maximum is 20)\"]}}");
		refused("[{\"type\": \"branch\", \"cases\": \"x\"}]",
				"{\"error\": {\"steps[0].cases\": [\"must be an array of objects\"]}}");
	}

	@Test
	void aSplitNeedsTwoToTenWeightedPaths() {
		refused("[{\"type\": \"split\", \"paths\": [{\"weight\": 1, \"next\": \"end\"}]}]",
				"{\"error\": {\"steps[0].paths\": [\"must have 2 to 10 paths\"]}}");
		refused("[{\"type\": \"split\", \"paths\": [{\"weight\": 0, \"next\": \"end\"}, {\"weight\": 101}, "
				+ "{\"weight\": \"x\", \"next\": \"end\"}, {\"weight\": 2.5, \"next\": \"end\"}]}]",
				"{\"error\": {\"steps[0].paths[2].weight\": [\"must be an integer\"], "
						+ "\"steps[0].paths[3].weight\": [\"must be an integer\"]}}");
		refused("[{\"type\": \"split\", \"paths\": [{\"weight\": 0, \"next\": \"end\"}, {\"weight\": 101}]}]",
				"{\"error\": {\"steps[0].paths[0].weight\": [\"must be from 1 to 100\"], "
						+ "\"steps[0].paths[1].weight\": [\"must be from 1 to 100\"], "
						+ "\"steps[0].paths[1].next\": [\"can't be blank\"]}}");
	}

	@Test
	void aWaitUntilNeedsATimeAndKnownDaysZoneAndSpread() {
		refused("[{\"type\": \"wait_until\", \"duration\": \"PT1H\"}]",
				"{\"error\": {\"steps[0].duration\": [\"must be blank for a wait_until step\"], "
						+ "\"steps[0].time\": [\"can't be blank\"]}}");
		refused("[{\"type\": \"wait_until\", \"time\": \"9am\", \"days\": [\"funday\"], \"time_zone\": \"Mars/Olympus\", "
				+ "\"spread\": \"PT7H\"}]",
				"{\"error\": {\"steps[0].time\": [\"must be a time of day as HH:MM (00:00 to 23:59)\"], "
						+ "\"steps[0].days[0]\": [\"must be one of mon, tue, wed, thu, fri, sat, sun\"], "
						+ "\"steps[0].time_zone\": [\"is not a known IANA time zone\"], "
						+ "\"steps[0].spread\": [\"must be at most 6 hours\"]}}");
		refused("[{\"type\": \"wait_until\", \"time\": \"24:00\", \"days\": []}]",
				"{\"error\": {\"steps[0].time\": [\"must be a time of day as HH:MM (00:00 to 23:59)\"], "
						+ "\"steps[0].days\": [\"must name at least one day\"]}}");
		refused("[{\"type\": \"wait\", \"duration\": \"PT1M\", \"time\": \"09:00\", \"cases\": []}]",
				"{\"error\": {\"steps[0].cases\": [\"must be blank for a wait step\"], "
						+ "\"steps[0].time\": [\"must be blank for a wait step\"]}}");
	}

	@Test
	void theGraphIsCheckedThroughEveryWay() {
		refused("[{\"id\": \"a\", \"type\": \"branch\", \"cases\": [{\"when\": {\"attribute\": \"x\", \"exists\": true}, "
				+ "\"next\": \"b\"}], \"otherwise\": \"end\"}, {\"id\": \"b\", \"type\": \"split\", \"paths\": ["
				+ "{\"weight\": 1, \"next\": \"end\"}, {\"weight\": 1, \"next\": \"a\"}]}]",
				"{\"error\": {\"steps[1].paths[1].next\": [\"makes a cycle\"]}}");
		refused("[{\"id\": \"a\", \"type\": \"branch\", \"cases\": [{\"when\": {\"attribute\": \"x\", \"exists\": true}, "
				+ "\"next\": \"end\"}], \"otherwise\": \"end\"}, {\"id\": \"b\", \"type\": \"wait\", \"duration\": \"PT1M\"}]",
				"{\"error\": {\"steps[1]\": [\"is not reached by any path from the first step\"]}}");
	}

}
