package io.journeys.auth;

import java.time.Clock;
import java.util.Optional;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.journeys.web.NotFound;
import io.journeys.paging.PageQuery;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ApiKeyService {

	private final ApiKeyRepository keys;

	private final Clock clock;

	/** Its short time to live bounds how long a revoked key works on other instances. */
	private final Cache<String, Optional<ApiCaller>> callers;

	ApiKeyService(ApiKeyRepository keys, Clock clock, AuthProperties properties) {
		this.keys = keys;
		this.clock = clock;
		this.callers = Caffeine.newBuilder()
			.expireAfterWrite(properties.keyCacheTtl())
			.maximumSize(properties.keyCacheSize())
			.build();
	}

	/** The caller has checked that the company exists. */
	@Transactional
	public CreatedApiKey create(UUID companyId, String name) {
		String token = ApiTokens.generate();
		ApiKey key = new ApiKey(companyId, name, ApiTokens.PREFIX, ApiTokens.hash(token), this.clock.instant());
		this.keys.save(key);
		return new CreatedApiKey("api_key", key.id(), key.name(), token, key.createdAt());
	}

	@Transactional(readOnly = true)
	public List<ApiKeyView> page(UUID companyId, PageQuery query) {
		return this.keys.page(companyId, query);
	}

	@Transactional
	public void revoke(UUID keyId) {
		ApiKey key = this.keys.findFirstById(keyId).orElseThrow(() -> new NotFound("API key"));
		key.revoke(this.clock.instant());
		this.callers.invalidateAll();
	}

	public Optional<ApiCaller> authenticate(String token) {
		if (!ApiTokens.looksValid(token)) {
			return Optional.empty();
		}
		byte[] hash = ApiTokens.hash(token);
		String key = HexFormat.of().formatHex(hash);
		// not callers.get(key, loader): with the database away, requests of a key would
		// queue behind one lookup, then retry it in turn, a timeout each
		Optional<ApiCaller> cached = this.callers.getIfPresent(key);
		if (cached != null) {
			return cached;
		}
		Optional<ApiCaller> caller = this.keys.findCaller(hash);
		this.callers.put(key, caller);
		return caller;
	}

}
