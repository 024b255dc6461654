package io.journeys.enrollment;

import org.springframework.test.context.TestPropertySource;

/**
 * the enroll races with the statements written for Citus
 * ({@code DatabaseEngine#routedStatements}), on whichever engine the tests run: on plain
 * PostgreSQL they are otherwise only run by `.ci/run`'s pass on the cluster.
 */
@TestPropertySource(properties = "journeys.database.routed-statements=true")
class RoutedEnrollRaceTests extends EnrollRaceTests {

}
