package io.journeys.event;

import java.util.List;

/** The answer of {@code POST /v1/events}: {@code notFound} sorted, each email once. */
record EventBatchResult(int accepted, int duplicates, List<String> notFound) {

}
