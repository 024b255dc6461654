package io.journeys.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.journeys.destination.Destinations;
import io.journeys.destination.Gate;
import io.journeys.journey.Step;
import io.journeys.journey.WebhookProperties;
import io.journeys.journey.WebhookSecrets;
import io.journeys.lifecycle.LifecycleOutbox;
import io.journeys.lifecycle.LifecycleOutbox.FailedCall;
import io.journeys.runner.ClaimedEnrollments.Claimed;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.runner.ClaimedEnrollments.Failure;
import io.journeys.runner.RunnerRepository.JourneyRow;
import io.journeys.runner.WebhookCaller.Outcome;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Claimed {@code SKIP LOCKED}: a dead instance's calls in flight are made again. */
@Component
class WebhookDeliveries implements DisposableBean {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RunnerRepository repository;

	private final ClaimedEnrollments claims;

	private final WebhookCaller caller;

	private final WebhookSecrets secrets;

	private final WebhookProperties webhooks;

	private final RunnerProperties properties;

	private final RunnerMetrics metrics;

	private final Destinations destinations;

	private final LifecycleOutbox outbox;

	private final Clock clock;

	private final ExecutorService calls;

	WebhookDeliveries(RunnerRepository repository, ClaimedEnrollments claims, WebhookCaller caller,
			WebhookSecrets secrets, WebhookProperties webhooks, RunnerProperties properties, RunnerMetrics metrics,
			Destinations destinations, LifecycleOutbox outbox, Clock clock) {
		this.repository = repository;
		this.destinations = destinations;
		this.claims = claims;
		this.caller = caller;
		this.secrets = secrets;
		this.webhooks = webhooks;
		this.properties = properties;
		this.metrics = metrics;
		this.outbox = outbox;
		this.clock = clock;
		AtomicInteger threads = new AtomicInteger();
		this.calls = Executors.newFixedThreadPool(properties.batchSize() * 2, runnable -> {
			Thread thread = new Thread(runnable, "webhook-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * {@code called}: how many were claimed and called; {@code heldBack}: due enrollments
	 * were left for the destination's limit.
	 */
	record Batch(int called, int failed, boolean heldBack) {

		static final Batch NONE = new Batch(0, 0, false);

		Batch plus(Batch other) {
			return new Batch(this.called + other.called, this.failed + other.failed, this.heldBack || other.heldBack);
		}

	}

	/**
	 * None called when the journey no longer runs the step or its destination is paused.
	 * Enrollments held back by a limit or a pause are not claimed, so not charged; a
	 * probe's failure is not charged either.
	 */
	Batch call(DueJourney due, String stepId, Gate gate) {
		JourneyRow journey = this.repository.lockJourney(due.companyId(), due.journeyId()).orElse(null);
		List<Step> steps = journey == null ? List.of() : journey.runningSteps().orElse(List.of());
		int at = steps.stream().map(Step::id).toList().indexOf(stepId);
		if (journey == null || journey.webhookSecret() == null || at < 0 || !steps.get(at).isWebhook()) {
			return Batch.NONE;
		}
		Step step = steps.get(at);
		Instant now = this.clock.instant();
		int limit = gate.claimLimit(this.properties.batchSize());
		if (limit == 0) {
			return Batch.NONE;
		}
		List<Claimed> candidates = this.claims.claim(due.companyId(), due.journeyId(), stepId, now, limit);
		if (candidates.isEmpty() || !this.destinations.pass(due.companyId(), gate, now)) {
			return Batch.NONE;
		}
		int allowed = this.destinations.take(due.companyId(), gate, candidates.size());
		// the rest stay due, unlocked at commit
		List<Claimed> claimed = candidates.subList(0, allowed);
		if (claimed.isEmpty()) {
			return new Batch(0, 0, allowed < candidates.size());
		}
		List<byte[]> keys = new ArrayList<>();
		keys.add(WebhookSecrets.signingKey(this.secrets.open(journey.webhookSecret())));
		if (journey.previousWebhookSecret() != null && journey.previousSecretUntil() != null
				&& now.isBefore(journey.previousSecretUntil())) {
			keys.add(WebhookSecrets.signingKey(this.secrets.open(journey.previousWebhookSecret())));
		}
		List<SignedCall> signed = new ArrayList<>();
		for (Claimed enrollment : claimed) {
			signed.add(new SignedCall(step.url(), messageId(enrollment, step),
					payload(due, journey, step, at, enrollment, now), keys));
		}
		List<Outcome> outcomes = callAll(signed, now.getEpochSecond());
		List<Claimed> delivered = new ArrayList<>();
		List<@Nullable Integer> deliveredStatuses = new ArrayList<>();
		List<Failure> failed = new ArrayList<>();
		List<@Nullable Integer> statuses = new ArrayList<>();
		List<@Nullable String> errors = new ArrayList<>();
		for (int i = 0; i < claimed.size(); i++) {
			Claimed enrollment = claimed.get(i);
			Outcome outcome = outcomes.get(i);
			statuses.add(outcome.status());
			errors.add(outcome.delivered() ? null : outcome.error());
			if (outcome.delivered()) {
				delivered.add(enrollment);
				deliveredStatuses.add(outcome.status());
			}
			else {
				failed.add(new Failure(enrollment, outcome.status(), outcome.error(),
						now.plus(backoff(enrollment.attempts() + 1))));
			}
		}
		this.claims.logCalls(due.companyId(), stepId, claimed, statuses, errors, now);
		if (!delivered.isEmpty()) {
			Optional<Step> after = Step.after(steps, at);
			if (after.isEmpty()) {
				this.claims.completeClaimed(due.companyId(), delivered, deliveredStatuses, stepId, now);
				this.outbox.ended(due.companyId(), delivered.stream().map(Claimed::id).toList(), now);
			}
			else {
				Step next = after.get();
				Instant nextDue = now.plus(next.delay());
				this.claims.advanceClaimed(due.companyId(), delivered, stepId, next.id(), nextDue, now);
				this.repository.logEntered(due.companyId(), due.journeyId(), next.id(), now, nextDue);
			}
			this.metrics.steps(Step.WEBHOOK, "delivered", delivered.size());
		}
		if (!failed.isEmpty()) {
			// a failed probe is told, not charged
			this.outbox.stepFailed(due.companyId(), stepId,
					failed.stream()
						.map(failure -> new FailedCall(failure.enrollment().id(), failure.enrollment().attempts() + 1,
								failure.status(), failure.error()))
						.toList(),
					now);
		}
		if (!failed.isEmpty() && !gate.probe()) {
			List<UUID> exited = this.claims.recordFailures(due.companyId(), failed, stepId, this.webhooks.maxAttempts(),
					now);
			this.outbox.ended(due.companyId(), exited, now);
			this.metrics.steps(Step.WEBHOOK, "failed", failed.size());
			this.metrics.steps(Step.WEBHOOK, "action_failed", exited.size());
		}
		return new Batch(claimed.size(), failed.size(), allowed < candidates.size());
	}

	/** One call to make, signed by each of {@code keys}. */
	record SignedCall(String url, String messageId, String body, List<byte[]> keys) {
	}

	/**
	 * Makes the calls at once, each within the call timeout, and answers their outcomes
	 * in order: for webhook steps and for lifecycle events.
	 */
	List<Outcome> callAll(List<SignedCall> calls, long timestamp) {
		List<Future<Outcome>> answers = new ArrayList<>();
		for (SignedCall call : calls) {
			answers.add(this.calls.submit(() -> {
				long start = System.nanoTime();
				Outcome outcome = this.caller.call(call.url(), call.messageId(), timestamp, call.body(), call.keys());
				this.metrics.webhookDuration().record(Duration.ofNanos(System.nanoTime() - start));
				return outcome;
			}));
		}
		List<Outcome> outcomes = new ArrayList<>();
		for (Future<Outcome> answer : answers) {
			outcomes.add(outcomeOf(answer));
		}
		return outcomes;
	}

	/** Interrupted, it rolls back rather than record calls it saw no answer to. */
	private Outcome outcomeOf(Future<Outcome> answer) {
		try {
			return answer.get(this.webhooks.timeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while webhook calls were in flight", ex);
		}
		catch (TimeoutException ex) {
			answer.cancel(true);
			return Outcome.failed(null, "timed out");
		}
		catch (ExecutionException ex) {
			return Outcome.failed(null, "call failed: " + ex.getCause().getClass().getSimpleName());
		}
	}

	/** A random half is taken off, so that calls failed together come back apart. */
	Duration backoff(int attempt) {
		double full = this.webhooks.firstRetry().toMillis() * Math.pow(this.webhooks.backoffFactor(), attempt - 1);
		double jittered = full * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5);
		return Duration.ofMillis((long) jittered);
	}

	/** The same for every call of one step for one enrollment: receivers deduplicate. */
	static String messageId(Claimed enrollment, Step step) {
		return "msg_" + enrollment.id().toString().replace("-", "") + "_" + step.id();
	}

	private static String payload(DueJourney due, JourneyRow journey, Step step, int at, Claimed enrollment,
			Instant now) {
		Map<String, Object> contact = new LinkedHashMap<>();
		contact.put("id", enrollment.contactId().toString());
		contact.put("email_address", enrollment.emailAddress());
		contact.put("first_name", enrollment.firstName());
		contact.put("last_name", enrollment.lastName());
		contact.put("attributes", JSON.readTree(enrollment.attributes()));
		contact.put("time_zone", enrollment.timeZone());
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("journey", ordered("id", due.journeyId().toString(), "name", journey.name()));
		data.put("step", ordered("id", step.id(), "type", step.type(), "position", at + 1));
		data.put("enrollment",
				ordered("id", enrollment.id().toString(), "enrolled_at", enrollment.enrolledAt().toString()));
		data.put("contact", contact);
		if (enrollment.triggerEvent() != null) {
			data.put("trigger_event", JSON.readTree(enrollment.triggerEvent()));
		}
		data.put("attempt", enrollment.attempts() + 1);
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", "journey.step.webhook");
		event.put("timestamp", now.toString());
		event.put("data", data);
		return JSON.writeValueAsString(event);
	}

	private static Map<String, Object> ordered(Object... namesAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			map.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return map;
	}

	@Override
	public void destroy() {
		this.calls.shutdownNow();
	}

}
