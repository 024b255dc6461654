package io.journeys;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** The journeys service: enrolls contacts in automated journeys over a REST API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class JourneysApplication {

	public static void main(String[] args) {
		CompactHeap.apply();
		SpringApplication app = new SpringApplication(JourneysApplication.class);
		app.addListeners(new DatabasePreflight());
		app.run(args);
		CompactHeap.shrinkAfterStart();
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
