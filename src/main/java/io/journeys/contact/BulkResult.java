package io.journeys.contact;

/** The answer of a bulk upsert. */
record BulkResult(int created, int updated) {

}
