package io.journeys.list;

import java.util.List;

/** Answers of adding and removing members. */
final class MembersChange {

	private MembersChange() {
	}

	record Added(int addedCount, List<String> notFound) {
	}

	record Removed(int removedCount) {
	}

}
