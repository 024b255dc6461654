package io.journeys.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.test.context.ContextConfiguration;

/**
 * A repository test: a feature's statements run against the real PostgreSQL of
 * {@link TestDatabase}, migrated by Flyway, with no web server and none of the rest of
 * the service. The context holds the data source, Flyway, JPA with Spring Data,
 * {@code JdbcClient}, transactions and Jackson; the test class adds what it tests in a
 * static nested {@code @Configuration} (which replaces the application's): with
 * {@code @AutoConfigurationPackage} on it, the entities and Spring Data repositories of
 * its own package, and {@code @Import} for the rest.
 * <p>
 * This is the slim context in place of {@code @DataJpaTest} with
 * {@code @AutoConfigureTestDatabase(replace = NONE)}: in Boot 4 those live in
 * {@code spring-boot-data-jpa-test} and {@code spring-boot-jdbc-test}, which the build
 * does not have. Tests are not rolled back: each makes its own company. The pool is small
 * and lets idle connections go, since Spring keeps every context it made open until the
 * JVM ends, and the database's connections are shared with the suite's other contexts.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.datasource.hikari.maximum-pool-size=4", "spring.datasource.hikari.minimum-idle=0",
				"spring.datasource.hikari.idle-timeout=10000" })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
		TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class,
		FlywayAutoConfiguration.class, HibernateJpaAutoConfiguration.class, DataJpaRepositoriesAutoConfiguration.class,
		JacksonAutoConfiguration.class })
public @interface RepositoryTest {

}
