package io.journeys.list;

import java.sql.Types;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.journeys.contact.ContactView;
import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.TenantKey;
import org.jspecify.annotations.Nullable;
import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.jdbc.core.simple.JdbcClient;

interface ListRepository extends JpaRepository<MailingList, TenantKey>, ListQueries {

	Optional<MailingList> findByCompanyIdAndId(UUID companyId, UUID id);

	/** One deleted meanwhile is not found once that delete commits. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select l from MailingList l where l.companyId = :companyId and l.id = :id")
	Optional<MailingList> findForUpdate(UUID companyId, UUID id);

}

/** {@code firstId}: the oldest of the {@code count} lists with the email. */
record ListMatch(String emailAddress, long count, UUID firstId) {
}

interface ListQueries {

	List<ListView> page(UUID companyId, @Nullable String email, PageQuery query);

	long membershipsCount(UUID companyId, UUID listId);

	List<ListMatch> match(UUID companyId, List<String> emails);

	/** {@code FOR KEY SHARE}, as a member's foreign key: undeletable until commit. */
	Optional<UUID> lockForMembers(UUID companyId, UUID listId);

	MembersChange.Added addMembers(UUID companyId, UUID listId, List<String> emails, Instant now);

	int removeMembers(UUID companyId, UUID listId, List<String> emails);

	List<ContactView> members(UUID companyId, UUID listId, PageQuery query);

}

class ListQueriesImpl implements ListQueries {

	private final JdbcClient jdbc;

	ListQueriesImpl(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public List<ListView> page(UUID companyId, @Nullable String email, PageQuery query) {
		return Keyset
			.bind(this.jdbc
				.sql("""
						select l.id, l.name, l.email_address, l.created_at, l.updated_at,
						       (select count(*) from list_members m where m.company_id = :company and m.list_id = l.id) as members
						from lists l
						where l.company_id = :company
						  and (cast(:email as text) is null or l.email_address = :email)
						  and (cast(:afterAt as timestamptz) is null or (l.created_at, l.id) > (:afterAt, :afterId))
						order by l.created_at, l.id
						limit :limit
						"""),
					query.after())
			.param("company", companyId)
			.param("email", email, Types.VARCHAR)
			.param("limit", query.fetchSize())
			.query((rs, row) -> new ListView("list", rs.getObject("id", UUID.class), rs.getString("name"),
					rs.getString("email_address"), rs.getLong("members"), SqlTimes.read(rs, "created_at"),
					SqlTimes.read(rs, "updated_at")))
			.list();
	}

	@Override
	public long membershipsCount(UUID companyId, UUID listId) {
		return this.jdbc.sql("select count(*) from list_members where company_id = :company and list_id = :list")
			.param("company", companyId)
			.param("list", listId)
			.query(Long.class)
			.single();
	}

	@Override
	public List<ListMatch> match(UUID companyId, List<String> emails) {
		return this.jdbc.sql("""
				select email_address, count(*) as lists, (array_agg(id order by created_at, id))[1] as first_id
				from lists
				where company_id = :company and email_address = any(cast(:emails as text[]))
				group by email_address
				""")
			.param("company", companyId)
			.param("emails", emails.toArray(String[]::new))
			.query((rs, row) -> new ListMatch(rs.getString("email_address"), rs.getLong("lists"),
					rs.getObject("first_id", UUID.class)))
			.list();
	}

	@Override
	public Optional<UUID> lockForMembers(UUID companyId, UUID listId) {
		return this.jdbc.sql("select id from lists where company_id = :company and id = :list for key share")
			.param("company", companyId)
			.param("list", listId)
			.query(UUID.class)
			.optional();
	}

	/** Two statements for Citus; a contact deleted meanwhile fails the key: retried. */
	@Override
	public MembersChange.Added addMembers(UUID companyId, UUID listId, List<String> emails, Instant now) {
		String[] sent = emails.toArray(String[]::new);
		int added = this.jdbc.sql("""
				insert into list_members (company_id, list_id, contact_id, added_at)
				select c.company_id, :list, c.id, :now from contacts c
				where c.company_id = :company and c.email_address = any(cast(:emails as text[]))
				on conflict do nothing
				""")
			.param("company", companyId)
			.param("list", listId)
			.param("emails", sent)
			.param("now", SqlTimes.bind(now))
			.update();
		List<String> notFound = this.jdbc.sql("""
				select x.email from unnest(cast(:emails as text[])) as x(email)
				where not exists (select 1 from contacts c where c.company_id = :company and c.email_address = x.email)
				group by x.email
				order by x.email collate "C"
				""").param("company", companyId).param("emails", sent).query(String.class).list();
		return new MembersChange.Added(added, notFound);
	}

	@Override
	public int removeMembers(UUID companyId, UUID listId, List<String> emails) {
		return this.jdbc.sql("""
				delete from list_members m
				using contacts c
				where m.company_id = :company and m.list_id = :list
				  and c.company_id = :company and c.id = m.contact_id
				  and c.email_address = any(cast(:emails as text[]))
				""")
			.param("company", companyId)
			.param("list", listId)
			.param("emails", emails.toArray(String[]::new))
			.update();
	}

	@Override
	public List<ContactView> members(UUID companyId, UUID listId, PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select c.id, c.email_address, c.first_name, c.last_name, c.status, c.attributes, c.time_zone,
				       c.created_at, c.updated_at
				from list_members m
				join contacts c on c.company_id = m.company_id and c.id = m.contact_id
				where m.company_id = :company and m.list_id = :list
				  and (cast(:afterAt as timestamptz) is null or (c.created_at, c.id) > (:afterAt, :afterId))
				order by c.created_at, c.id
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("list", listId)
			.param("limit", query.fetchSize())
			.query(ContactView::fromRow)
			.list();
	}

	static List<String> strings(@Nullable Array array) throws SQLException {
		return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
	}

}
