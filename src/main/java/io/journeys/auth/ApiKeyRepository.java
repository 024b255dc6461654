package io.journeys.auth;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.journeys.paging.PageQuery;
import io.journeys.persistence.Keyset;
import io.journeys.persistence.SqlTimes;
import io.journeys.persistence.TenantKey;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.jdbc.core.simple.JdbcClient;

interface ApiKeyRepository extends JpaRepository<ApiKey, TenantKey>, ApiKeyQueries {

	/** Admin paths name a key by id alone; ids are unique across companies. */
	Optional<ApiKey> findFirstById(UUID id);

}

interface ApiKeyQueries {

	Optional<ApiCaller> findCaller(byte[] tokenHash);

	List<ApiKeyView> page(UUID companyId, PageQuery query);

}

class ApiKeyQueriesImpl implements ApiKeyQueries {

	private final JdbcClient jdbc;

	ApiKeyQueriesImpl(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<ApiCaller> findCaller(byte[] tokenHash) {
		return this.jdbc.sql("""
				select company_id, id, token_hash from api_keys
				where token_hash = :hash and revoked_at is null
				""")
			.param("hash", tokenHash)
			.query((rs, row) -> MessageDigest.isEqual(rs.getBytes("token_hash"), tokenHash)
					? new ApiCaller(rs.getObject("company_id", UUID.class), rs.getObject("id", UUID.class)) : null)
			.list()
			.stream()
			.filter(Objects::nonNull)
			.findFirst();
	}

	@Override
	public List<ApiKeyView> page(UUID companyId, PageQuery query) {
		return Keyset.bind(this.jdbc.sql("""
				select id, name, created_at, revoked_at from api_keys
				where company_id = :company
				  and (cast(:afterAt as timestamptz) is null or (created_at, id) > (:afterAt, :afterId))
				order by created_at, id
				limit :limit
				"""), query.after())
			.param("company", companyId)
			.param("limit", query.fetchSize())
			.query((rs, row) -> new ApiKeyView("api_key", rs.getObject("id", UUID.class), rs.getString("name"),
					SqlTimes.read(rs, "created_at"), SqlTimes.read(rs, "revoked_at")))
			.list();
	}

}
