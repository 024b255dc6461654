package io.journeys.journey;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.web.Cursor;
import io.journeys.web.PageQuery;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import org.springframework.data.repository.Repository;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Journeys are archived, never deleted: this repository offers no delete, and no
 * statement of the service deletes a journey. That is what keeps every enrollment's
 * journey in place; there is no foreign key from enrollments (see V4).
 */
interface JourneyRepository extends Repository<Journey, TenantKey>, JourneyQueries {

	Journey save(Journey journey);

	Optional<Journey> findByCompanyIdAndId(UUID companyId, UUID id);

	boolean existsByCompanyIdAndId(UUID companyId, UUID id);

}

interface JourneyQueries {

	List<JourneyView> page(UUID companyId, @Nullable JourneyState state, PageQuery query);

	/**
	 * Locks the journey row against concurrent enrolls for the rest of the transaction:
	 * {@code FOR UPDATE}, the one row lock that excludes the {@code FOR KEY SHARE} each
	 * enroll takes (the enrollment package's {@code EnrollStatements.LOCK_JOURNEY}).
	 */
	Optional<JourneyState> lockExclusive(UUID companyId, UUID id);

}

class JourneyQueriesImpl implements JourneyQueries {

	private final JdbcClient jdbc;

	JourneyQueriesImpl(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<JourneyView> page(UUID companyId, @Nullable JourneyState state, PageQuery query) {
		Cursor after = query.after();
		var statement = this.jdbc.sql("""
				select id, name, state, created_at, updated_at, steps from journeys
				where company_id = :company %s %s
				order by created_at, id
				limit :limit
				""".formatted(state == null ? "" : "and state = :state", Cursor.after(after, "created_at", "id")))
			.param("company", companyId)
			.param("limit", query.fetchSize());
		if (state != null) {
			statement = statement.param("state", state.value());
		}
		if (after != null) {
			statement = statement.param("afterAt", SqlTimes.bind(after.at())).param("afterId", after.id());
		}
		return statement
			.query((rs, row) -> new JourneyView("journey", rs.getObject("id", UUID.class), rs.getString("name"),
					rs.getString("state"), SqlTimes.read(rs, "created_at"), SqlTimes.read(rs, "updated_at"),
					Steps.read(rs.getString("steps")), null))
			.list();
	}

	@Override
	public Optional<JourneyState> lockExclusive(UUID companyId, UUID id) {
		return this.jdbc.sql("select state from journeys where company_id = :company and id = :id for update")
			.param("company", companyId)
			.param("id", id)
			.query((rs, row) -> JourneyState.of(rs.getString("state")).orElseThrow())
			.optional();
	}

}
