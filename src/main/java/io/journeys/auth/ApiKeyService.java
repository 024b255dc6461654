package io.journeys.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import io.journeys.web.NotFound;
import io.journeys.web.PageQuery;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, lists, revokes and checks company API keys. */
@Service
public class ApiKeyService {

	private final ApiKeyRepository keys;

	private final Clock clock;

	ApiKeyService(ApiKeyRepository keys, Clock clock) {
		this.keys = keys;
		this.clock = clock;
	}

	/** Creates a key for a company that the caller has checked exists. */
	@Transactional
	public CreatedApiKey create(UUID companyId, String name) {
		String token = ApiTokens.generate();
		ApiKey key = new ApiKey(companyId, name, ApiTokens.displayPrefix(token), ApiTokens.hash(token), now());
		this.keys.save(key);
		return new CreatedApiKey("api_key", key.id(), key.name(), token, key.createdAt());
	}

	@Transactional(readOnly = true)
	public java.util.List<ApiKeyView> page(UUID companyId, PageQuery query) {
		return this.keys.page(companyId, query);
	}

	@Transactional
	public void revoke(UUID keyId) {
		ApiKey key = this.keys.findFirstById(keyId).orElseThrow(() -> new NotFound("API key"));
		key.revoke(now());
	}

	/** The caller behind a bearer token, if the token names a live key. */
	@Transactional(readOnly = true)
	public Optional<ApiCaller> authenticate(String token) {
		if (!ApiTokens.looksValid(token)) {
			return Optional.empty();
		}
		return this.keys.findCaller(ApiTokens.hash(token));
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
