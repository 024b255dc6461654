package io.journeys.list;

import java.util.List;

final class MembersChange {

	private MembersChange() {
	}

	record Added(int addedCount, List<String> notFound) {
	}

	record Removed(int removedCount) {
	}

}
