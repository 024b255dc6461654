package io.journeys.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.journeys.journey.Step;
import io.journeys.journey.WebhookProperties;
import io.journeys.journey.WebhookSecrets;
import io.journeys.runner.RunnerRepository.Backlog;
import io.journeys.runner.RunnerRepository.Claimed;
import io.journeys.runner.RunnerRepository.DueJourney;
import io.journeys.runner.RunnerRepository.Failure;
import io.journeys.runner.RunnerRepository.JourneyRow;
import io.journeys.runner.WebhookCaller.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the due steps of journeys that are {@code on}, one journey at a time, in
 * transactions that hold the journey row {@code FOR KEY SHARE} (so a switch to
 * {@code off}, which takes it {@code FOR UPDATE}, waits for the pass in flight, and no
 * step of the journey starts after it commits):
 * <ol>
 * <li>enrollments not started, and those whose wait is over, move on in one statement per
 * step (100,000 due on the same wait are one {@code UPDATE});
 * <li>enrollments due at a webhook step are claimed in batches with
 * {@code FOR UPDATE SKIP LOCKED}, called in parallel, and moved on, retried later or
 * exited by what the calls answered, all in the claim's transaction: an instance that
 * dies mid-batch leaves its claims to be taken again, and only the calls in flight then
 * are made twice (with the same {@code webhook-id}).
 * </ol>
 * After the last step an enrollment is completed.
 */
@Component
class StepRunner implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int LARGE_MOVE = 1000;

	private static final int BATCHES_PER_PASS = 10;

	private final RunnerRepository repository;

	private final TransactionTemplate transactions;

	private final WebhookCaller caller;

	private final WebhookSecrets secrets;

	private final WebhookProperties webhooks;

	private final RunnerProperties properties;

	private final Clock clock;

	private final ExecutorService calls;

	private final MeterRegistry registry;

	private final Timer latency;

	private final AtomicLong due = new AtomicLong();

	private final AtomicLong lagMillis = new AtomicLong();

	StepRunner(RunnerRepository repository, TransactionTemplate transactions, WebhookCaller caller,
			WebhookSecrets secrets, WebhookProperties webhooks, RunnerProperties properties, Clock clock,
			MeterRegistry registry) {
		this.repository = repository;
		this.transactions = transactions;
		this.caller = caller;
		this.secrets = secrets;
		this.webhooks = webhooks;
		this.properties = properties;
		this.clock = clock;
		this.registry = registry;
		AtomicInteger threads = new AtomicInteger();
		this.calls = Executors.newFixedThreadPool(properties.batchSize(), runnable -> {
			Thread thread = new Thread(runnable, "webhook-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		Gauge.builder("journeys.runner.due", this.due, AtomicLong::get)
			.description("Enrollments whose step was due when the last pass of the runner started")
			.register(registry);
		Gauge.builder("journeys.runner.lag", this.lagMillis, millis -> millis.get() / 1000.0)
			.baseUnit("seconds")
			.description("How long the oldest due step had been due when the last pass started")
			.register(registry);
		this.latency = Timer.builder("journeys.webhook.duration")
			.description("Webhook calls, from request to answer")
			.publishPercentileHistogram()
			.register(registry);
	}

	/**
	 * One pass over every due step; returns how many enrollments it moved or called. What
	 * it finds due at its start is the backlog and the lag the gauges show.
	 */
	int runDue() {
		Instant now = this.clock.instant();
		List<Backlog> backlog = this.repository.dueJourneys(now);
		this.due.set(backlog.stream().mapToLong(Backlog::due).sum());
		this.lagMillis.set(backlog.stream()
			.map(Backlog::oldest)
			.min(Instant::compareTo)
			.map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis()))
			.orElse(0L));
		int work = 0;
		for (Backlog journey : backlog) {
			try {
				work += runJourney(journey.journey());
			}
			catch (DataAccessResourceFailureException | TransientDataAccessResourceException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				// one journey's failure (a secret that does not open, a statement that
				// timed
				// out) does not hold back the others
				log.warn("The step runner's pass over journey {} of company {} failed; it is tried again next pass",
						journey.journey().journeyId(), journey.journey().companyId(), ex);
			}
		}
		return work;
	}

	/**
	 * Runs what is due in one journey: its waits, then its webhook steps batch by batch.
	 */
	int runJourney(DueJourney due) {
		Integer moved = this.transactions.execute(status -> advance(due));
		int work = moved == null ? 0 : moved;
		if (work < 0) {
			return 0;
		}
		List<Step> steps = stepsOf(due);
		for (Step step : steps) {
			if (!step.isWebhook()) {
				continue;
			}
			// a few batches per step and pass: the pass goes on to the other journeys,
			// and
			// the next one (at once, while there is work) comes back here
			for (int batch = 0; batch < BATCHES_PER_PASS; batch++) {
				Integer called = this.transactions.execute(status -> callBatch(due, step.id()));
				if (called == null || called <= 0) {
					break;
				}
				work += called;
				if (called < this.properties.batchSize()) {
					break;
				}
			}
		}
		return work;
	}

	private List<Step> stepsOf(DueJourney due) {
		List<Step> steps = this.transactions
			.execute(status -> this.repository.lockJourney(due.companyId(), due.journeyId())
				.map(row -> Step.listOf(row.steps()))
				.orElse(null));
		return steps == null ? List.of() : steps;
	}

	/**
	 * Moves the enrollments not started and those at the end of a wait into their next
	 * step; -1 when the journey is not on, or has no steps.
	 */
	private int advance(DueJourney due) {
		JourneyRow journey = this.repository.lockJourney(due.companyId(), due.journeyId()).orElse(null);
		List<Step> steps = journey == null ? null : Step.listOf(journey.steps());
		if (journey == null || !"on".equals(journey.state()) || steps == null) {
			return -1;
		}
		Instant now = this.clock.instant();
		int moved = moveOn(due, steps, null, -1, now);
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i).isWait()) {
				moved += moveOn(due, steps, steps.get(i).id(), i, now);
			}
		}
		return moved;
	}

	/** Moves the due enrollments at position {@code at} (-1: not started) on. */
	private int moveOn(DueJourney due, List<Step> steps, @Nullable String from, int at, Instant now) {
		String type = from == null ? "start" : Step.WAIT;
		long start = System.nanoTime();
		if (at + 1 >= steps.size()) {
			int completed = this.repository.completeDue(due.companyId(), due.journeyId(), from, now);
			count(type, "completed", completed);
			logLarge(due, from, "completion", completed, start);
			return completed;
		}
		Step next = steps.get(at + 1);
		int moved = this.repository.advance(due.companyId(), due.journeyId(), from, next.id(), now.plus(next.delay()),
				now);
		if (moved > 0) {
			this.repository.logEntered(due.companyId(), due.journeyId(), next.id(), now);
		}
		count(type, "advanced", moved);
		logLarge(due, from, next.id(), moved, start);
		return moved;
	}

	/**
	 * Claims a batch at a webhook step, calls it and records the answers; the number
	 * claimed, or -1 when the journey is not on or no longer has the step.
	 */
	private int callBatch(DueJourney due, String stepId) {
		JourneyRow journey = this.repository.lockJourney(due.companyId(), due.journeyId()).orElse(null);
		List<Step> steps = journey == null ? null : Step.listOf(journey.steps());
		if (journey == null || !"on".equals(journey.state()) || steps == null || journey.webhookSecret() == null) {
			return -1;
		}
		int at = indexOf(steps, stepId);
		if (at < 0 || !steps.get(at).isWebhook()) {
			return -1;
		}
		Step step = steps.get(at);
		Instant now = this.clock.instant();
		List<Claimed> claimed = this.repository.claim(due.companyId(), due.journeyId(), stepId, now,
				this.properties.batchSize());
		if (claimed.isEmpty()) {
			return 0;
		}
		List<byte[]> keys = new ArrayList<>();
		keys.add(WebhookCaller.keyOf(this.secrets.open(journey.webhookSecret())));
		if (journey.previousWebhookSecret() != null && journey.previousSecretUntil() != null
				&& now.isBefore(journey.previousSecretUntil())) {
			keys.add(WebhookCaller.keyOf(this.secrets.open(journey.previousWebhookSecret())));
		}
		long timestamp = now.getEpochSecond();
		List<Future<Outcome>> answers = new ArrayList<>();
		for (Claimed enrollment : claimed) {
			String messageId = messageId(enrollment, step);
			String body = payload(due, journey, step, at, enrollment, now);
			answers.add(this.calls.submit(() -> {
				long start = System.nanoTime();
				Outcome outcome = this.caller.call(step.url(), messageId, timestamp, body, keys);
				this.latency.record(Duration.ofNanos(System.nanoTime() - start));
				return outcome;
			}));
		}
		List<UUID> delivered = new ArrayList<>();
		List<Failure> failed = new ArrayList<>();
		List<UUID> called = new ArrayList<>();
		List<@Nullable Integer> statuses = new ArrayList<>();
		List<@Nullable String> errors = new ArrayList<>();
		for (int i = 0; i < claimed.size(); i++) {
			Claimed enrollment = claimed.get(i);
			Outcome outcome = outcomeOf(answers.get(i));
			called.add(enrollment.id());
			statuses.add(outcome.status());
			errors.add(outcome.delivered() ? null : outcome.error());
			if (outcome.delivered()) {
				delivered.add(enrollment.id());
			}
			else {
				failed.add(new Failure(enrollment.id(), outcome.status(), outcome.error(),
						now.plus(backoff(enrollment.attempts() + 1))));
			}
		}
		this.repository.logCalls(due.companyId(), stepId, called, statuses, errors, now);
		if (!delivered.isEmpty()) {
			if (at + 1 >= steps.size()) {
				this.repository.completeClaimed(due.companyId(), delivered, stepId, now);
			}
			else {
				Step next = steps.get(at + 1);
				this.repository.advanceClaimed(due.companyId(), delivered, stepId, next.id(), now.plus(next.delay()),
						now);
				this.repository.logEntered(due.companyId(), due.journeyId(), next.id(), now);
			}
			count(Step.WEBHOOK, "delivered", delivered.size());
		}
		if (!failed.isEmpty()) {
			int exited = this.repository.recordFailures(due.companyId(), failed, stepId, this.webhooks.maxAttempts(),
					now);
			count(Step.WEBHOOK, "failed", failed.size());
			count(Step.WEBHOOK, "action_failed", exited);
		}
		return claimed.size();
	}

	/** A move of many enrollments at once is worth a line (bench/runner.sh reads it). */
	private static void logLarge(DueJourney due, @Nullable String from, String to, int moved, long startNanos) {
		if (moved >= LARGE_MOVE) {
			log.info("moved {} enrollments of journey {} from {} to {} in {} ms", moved, due.journeyId(),
					from == null ? "the start" : from, to, (System.nanoTime() - startNanos) / 1_000_000);
		}
	}

	/**
	 * A call's outcome. The caller cuts every call at its timeout; this waits a little
	 * longer at most. Interrupted (the instance is stopping), the batch's transaction is
	 * rolled back rather than recording calls whose answers it did not see: its rows are
	 * called again later, with the same {@code webhook-id}.
	 */
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

	/**
	 * The wait after failed call number {@code attempt}: {@code first-retry} times
	 * {@code backoff-factor} to the power {@code attempt - 1}, of which a random half is
	 * taken off, so that calls failed together do not come back together.
	 */
	Duration backoff(int attempt) {
		double full = this.webhooks.firstRetry().toMillis() * Math.pow(this.webhooks.backoffFactor(), attempt - 1);
		double jittered = full * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5);
		return Duration.ofMillis((long) jittered);
	}

	/** The same for every call of one step for one enrollment. */
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
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("journey", ordered("id", due.journeyId().toString(), "name", journey.name()));
		data.put("step", ordered("id", step.id(), "type", step.type(), "position", at + 1));
		data.put("enrollment",
				ordered("id", enrollment.id().toString(), "enrolled_at", enrollment.enrolledAt().toString()));
		data.put("contact", contact);
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

	private static int indexOf(List<Step> steps, String id) {
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i).id().equals(id)) {
				return i;
			}
		}
		return -1;
	}

	private void count(String type, String outcome, int n) {
		if (n > 0) {
			Counter.builder("journeys.runner.steps")
				.description("Enrollments moved by the runner, by step type and outcome")
				.tag("type", type)
				.tag("outcome", outcome)
				.register(this.registry)
				.increment(n);
		}
	}

	@Override
	public void destroy() {
		this.calls.shutdownNow();
	}

}
