package io.journeys.operations;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code docs/openapi.json}, written by hand; {@code OpenApiTests} keep it true. */
@RestController
class ApiDescriptionController {

	private final byte[] description;

	ApiDescriptionController() throws IOException {
		try (InputStream in = new ClassPathResource("openapi/openapi.json").getInputStream()) {
			this.description = in.readAllBytes();
		}
	}

	@GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
	byte[] description() {
		return this.description;
	}

	@GetMapping("/swagger-ui.html")
	ResponseEntity<Void> swaggerUi() {
		return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/swagger-ui/index.html")).build();
	}

}
