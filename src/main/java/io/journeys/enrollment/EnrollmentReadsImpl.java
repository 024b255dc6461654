package io.journeys.enrollment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

import io.journeys.enrollment.EnrollmentResponses.EnrollmentView;
import io.journeys.enrollment.EnrollmentResponses.Event;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The reads of {@link EnrollmentRepository}: a journey's enrollments a page at a time,
 * and one's timeline.
 */
class EnrollmentReadsImpl implements EnrollmentReads {

	private final JdbcClient jdbc;

	EnrollmentReadsImpl(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<EnrollmentView> page(UUID companyId, UUID journeyId, @Nullable String status, @Nullable String email,
			PageQuery query) {
		return Keyset.bind(this.jdbc.sql(PAGE), query.after())
			.param("company", companyId)
			.param("journey", journeyId)
			.param("status", status, Types.VARCHAR)
			.param("email", email, Types.VARCHAR)
			.param("limit", query.fetchSize())
			.query(EnrollmentReadsImpl::view)
			.list();
	}

	private static final String PAGE = """
			select e.id, e.journey_id, e.contact_id, c.email_address, e.status, e.source, e.list_id,
			       e.enrolled_at, e.completed_at, e.exited_at, e.step_id, e.step_started_at, e.due_at,
			       e.attempts, e.last_attempt_at, e.last_status, e.last_error, e.exit_reason, e.trigger_event
			from enrollments e
			join contacts c on c.company_id = :company and c.id = e.contact_id
			where e.company_id = :company and e.journey_id = :journey
			  and (cast(:status as text) is null or e.status = :status)
			  and (cast(:email as text) is null or c.email_address = :email)
			  and (cast(:afterAt as timestamptz) is null
			       or e.enrolled_at < :afterAt or (e.enrolled_at = :afterAt and e.id > :afterId))
			order by e.enrolled_at desc, e.id
			limit :limit
			""";

	private static EnrollmentView view(ResultSet rs, int row) throws SQLException {
		boolean runsSteps = rs.getString("step_id") != null || rs.getObject("due_at") != null;
		return new EnrollmentView("enrollment", rs.getObject("id", UUID.class), rs.getObject("journey_id", UUID.class),
				rs.getObject("contact_id", UUID.class), rs.getString("email_address"), rs.getString("status"),
				rs.getString("source"), rs.getObject("list_id", UUID.class), SqlTimes.read(rs, "enrolled_at"),
				SqlTimes.read(rs, "completed_at"), SqlTimes.read(rs, "exited_at"), rs.getString("step_id"),
				SqlTimes.read(rs, "step_started_at"), SqlTimes.read(rs, "due_at"),
				runsSteps ? rs.getInt("attempts") : null, SqlTimes.read(rs, "last_attempt_at"),
				rs.getObject("last_status", Integer.class), rs.getString("last_error"), rs.getString("exit_reason"),
				rs.getString("trigger_event"));
	}

	@Override
	public List<Event> events(UUID companyId, UUID enrollmentId) {
		return this.jdbc.sql("""
				select at, step_id, kind, status, error, event, way, next_step from enrollment_events
				where company_id = :company and enrollment_id = :enrollment
				order by at, kind desc
				""")
			.param("company", companyId)
			.param("enrollment", enrollmentId)
			.query((rs, row) -> new Event(SqlTimes.read(rs, "at"), rs.getString("step_id"), rs.getString("kind"),
					rs.getObject("status", Integer.class), rs.getString("error"), rs.getString("event"),
					rs.getString("way"), rs.getString("next_step")))
			.list();
	}

}
