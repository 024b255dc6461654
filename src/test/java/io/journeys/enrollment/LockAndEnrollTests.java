package io.journeys.enrollment;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import io.journeys.support.RepositoryTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link PlainEnrollStatements#LOCK_AND_ENROLL_NAMED} relies on: two statements sent
 * as one on the enroll pool in autocommit run in one transaction (so the journey lock of
 * the first holds until the second has committed), each with its own snapshot.
 */
@RepositoryTest
class LockAndEnrollTests {

	@Autowired
	@Qualifier("enroll")
	private DataSource enrollPool;

	@Test
	void twoStatementsSentTogetherShareOneTransactionAndTakeTwoSnapshots() {
		NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(this.enrollPool);
		for (int round = 0; round < 8; round++) { // past pgjdbc's prepareThreshold
			List<String> seen = jdbc.execute("""
					select txid_current()::text, clock_timestamp()::text where :x = 1;
					select txid_current()::text, clock_timestamp()::text where :x = 1
					""", Map.of("x", 1), statement -> {
				List<String> values = new ArrayList<>();
				statement.execute();
				do {
					try (ResultSet rs = statement.getResultSet()) {
						rs.next();
						values.add(rs.getString(1));
						values.add(rs.getString(2));
					}
				}
				while (statement.getMoreResults());
				return values;
			});
			assertThat(seen).hasSize(4);
			assertThat(seen.get(2)).as("one transaction").isEqualTo(seen.get(0));
			assertThat(seen.get(3)).as("each run on its own, in order").isNotEqualTo(seen.get(1));
		}
	}

	/** The enroll pool, as the service configures it, on the migrated database. */
	@Configuration(proxyBeanMethods = false)
	@Import(EnrollStatementsTests.Pools.class)
	static class Pools {

	}

}
