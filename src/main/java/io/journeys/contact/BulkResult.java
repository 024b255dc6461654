package io.journeys.contact;

record BulkResult(int created, int updated) {

}
