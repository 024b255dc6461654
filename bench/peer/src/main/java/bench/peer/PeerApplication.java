package bench.peer;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What Spring Boot itself costs for S1: the service's enroll URL and body, bound to a
 * record, and the floor's single-row INSERT (bench/lib/floor_s1.sql) in autocommit. The
 * company is fixed at start (BENCH_COMPANY); the bearer token is ignored.
 */
@SpringBootApplication
@RestController
public class PeerApplication {

	private static final String INSERT = """
			insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)
			select c.company_id, uuid_v7(), :journey, c.id, 'active', 'contact', now()
			from contacts c
			where c.company_id = :company and c.email_address = :email and c.status = 'active'
			on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing""";

	record Enroll(List<String> contactEmailAddresses) {
	}

	private final JdbcClient jdbc;

	private final UUID company;

	PeerApplication(JdbcClient jdbc, @Value("${BENCH_COMPANY}") UUID company) {
		this.jdbc = jdbc;
		this.company = company;
	}

	@PostMapping("/v1/journeys/{id}/enroll")
	Map<String, Integer> enroll(@PathVariable UUID id, @RequestBody Enroll body) {
		int enrolled = this.jdbc.sql(INSERT)
			.param("journey", id)
			.param("company", this.company)
			.param("email", body.contactEmailAddresses().get(0))
			.update();
		return Map.of("enrolled_count", enrolled);
	}

	public static void main(String[] args) {
		SpringApplication.run(PeerApplication.class, args);
	}

}
