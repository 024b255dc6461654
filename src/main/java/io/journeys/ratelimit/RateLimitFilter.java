package io.journeys.ratelimit;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.journeys.auth.ApiCaller;
import io.journeys.persistence.DatabaseFailures;
import io.journeys.web.ErrorWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** An unreachable bucket store lets requests through: a blip must not be an outage. */
final class RateLimitFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

	private final CompanyBuckets buckets;

	private final RateLimitProperties properties;

	private final BucketConfiguration configuration;

	private final String policy;

	/** One proxy per key: it holds the local half of Bucket4j's delaying optimization. */
	private final Cache<UUID, BucketProxy> proxies = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	private final ErrorWriter errors;

	private final AtomicLong letThrough = new AtomicLong();

	RateLimitFilter(CompanyBuckets buckets, RateLimitProperties properties, ErrorWriter errors) {
		this.errors = errors;
		this.buckets = buckets;
		this.properties = properties;
		this.configuration = BucketConfiguration.builder()
			.addLimit(limit -> limit.capacity(properties.capacity())
				.refillGreedy(properties.capacity(), properties.period()))
			.build();
		this.policy = "\"default\";q=" + properties.capacity() + ";w=" + Math.max(1, properties.period().toSeconds());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/v1/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof ApiCaller caller)) {
			chain.doFilter(request, response);
			return;
		}
		ConsumptionProbe probe;
		try {
			probe = bucket(caller).tryConsumeAndReturnRemaining(1);
		}
		catch (RuntimeException ex) {
			letThrough(ex);
			chain.doFilter(request, response);
			return;
		}
		response.setHeader("RateLimit-Policy", this.policy);
		long reset = seconds(probe.getNanosToWaitForReset());
		response.setHeader("RateLimit", "\"default\";r=" + probe.getRemainingTokens() + ";t=" + reset);
		if (!probe.isConsumed()) {
			response.setHeader(HttpHeaders.RETRY_AFTER,
					Long.toString(Math.max(1, seconds(probe.getNanosToWaitForRefill()))));
			this.errors.write(response, HttpStatus.TOO_MANY_REQUESTS, "Rate limit exceeded; retry later");
			return;
		}
		chain.doFilter(request, response);
	}

	/** At most a line a minute: the request's own database failure has its own line. */
	private void letThrough(RuntimeException ex) {
		long count = this.letThrough.incrementAndGet();
		if (DatabaseFailures.firstThisMinute("rate limit store unavailable")) {
			this.letThrough.addAndGet(-count);
			log.warn("rate limit store unavailable, {} request(s) let through uncounted since the last such line: {}",
					count, DatabaseFailures.describe(ex));
		}
	}

	private BucketProxy bucket(ApiCaller caller) {
		// the id names the policy, so that a changed limit applies at once
		return this.proxies.get(caller.apiKeyId(),
				key -> this.buckets.builder()
					.withOptimization(Optimizations
						.delaying(new DelayParameters(this.properties.unsynchronizedTokens(), Duration.ofMillis(100))))
					.build(new CompanyBuckets.Key(caller.companyId(),
							key + ":" + this.properties.capacity() + "/" + this.properties.period().toMillis() + "ms"),
							() -> this.configuration));
	}

	private static long seconds(long nanos) {
		return (nanos + 999_999_999L) / 1_000_000_000L;
	}

}
