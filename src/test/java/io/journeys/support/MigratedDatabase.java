package io.journeys.support;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * For a {@link RepositoryTest} that needs the migrated database and none of a feature's
 * entities or repositories: its nested configuration imports this one. The package it
 * names for JPA and Spring Data, the tests' support, holds neither.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class MigratedDatabase {

}
