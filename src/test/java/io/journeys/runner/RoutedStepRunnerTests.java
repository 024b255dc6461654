package io.journeys.runner;

import org.springframework.test.context.TestPropertySource;

/**
 * The runner with the statements written for Citus
 * ({@code DatabaseEngine#routedStatements}: a batch's statements name the company), on
 * whichever engine the tests run: on plain PostgreSQL they are otherwise only run by
 * `.ci/run`'s pass on the cluster.
 */
@TestPropertySource(properties = "journeys.database.routed-statements=true")
class RoutedStepRunnerTests extends StepRunnerTests {

}
