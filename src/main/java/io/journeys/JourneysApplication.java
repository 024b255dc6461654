package io.journeys;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The journeys service: enrolls contacts in automated journeys over a REST API. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class JourneysApplication {

	public static void main(String[] args) {
		SpringApplication.run(JourneysApplication.class, args);
	}

	/** PostgreSQL keeps microseconds, so every time answered is the time stored. */
	@Bean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}

}
