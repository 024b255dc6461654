package io.journeys.contact;

import org.springframework.test.context.TestPropertySource;

/**
 * the contact API, bulk upsert included, with the statements written for Citus
 * ({@code DatabaseEngine#routedStatements}), on whichever engine the tests run: on plain
 * PostgreSQL they are otherwise only run by `.ci/run`'s pass on the cluster.
 */
@TestPropertySource(properties = "journeys.database.routed-statements=true")
class RoutedContactApiTests extends ContactApiTests {

}
