package io.journeys.runner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.journeys.journey.WebhookProperties;
import io.journeys.journey.WebhookSecrets;
import io.journeys.lifecycle.EnteredBlocks;
import io.journeys.lifecycle.OutgoingDeliveries;
import io.journeys.lifecycle.OutgoingDeliveries.Outgoing;
import io.journeys.lifecycle.OutgoingDeliveries.Recorded;
import io.journeys.runner.WebhookCaller.Outcome;
import io.journeys.runner.WebhookDeliveries.SignedCall;
import io.micrometer.core.instrument.Counter;
import io.journeys.persistence.DatabaseFailures;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the lifecycle outbox as webhook steps are sent: signed by the subscription's
 * secret, retried with the same backoff and budget. Each batch is claimed, called and
 * recorded in one transaction: an instance that dies mid-batch leaves its rows pending,
 * and another sends them again (at least once, same {@code webhook-id}).
 */
@Component
class LifecycleSender {

	private static final Logger log = LoggerFactory.getLogger(LifecycleSender.class);

	/** Batches of one company per pass, so that other companies get their turn. */
	private static final int BATCHES_PER_COMPANY = 10;

	/**
	 * {@code enrollment.entered} blocks expanded per company and pass; a block is one
	 * enroll's events for one subscription, however many contacts it enrolled.
	 */
	private static final int BLOCKS_PER_COMPANY = 10;

	/** How long a block whose expansion failed waits before it is tried again. */
	static final Duration FAILED_BLOCK_WAIT = Duration.ofMinutes(5);

	private final OutgoingDeliveries outbox;

	private final EnteredBlocks blocks;

	private final WebhookDeliveries calls;

	private final TransactionTemplate transactions;

	private final WebhookProperties webhooks;

	private final RunnerProperties properties;

	private final Clock clock;

	private final Counter delivered;

	private final Counter retried;

	private final Counter failed;

	LifecycleSender(OutgoingDeliveries outbox, EnteredBlocks blocks, WebhookDeliveries calls,
			TransactionTemplate transactions, WebhookProperties webhooks, RunnerProperties properties, Clock clock,
			MeterRegistry registry) {
		this.outbox = outbox;
		this.blocks = blocks;
		this.calls = calls;
		this.transactions = transactions;
		this.webhooks = webhooks;
		this.properties = properties;
		this.clock = clock;
		this.delivered = counter(registry, "delivered");
		this.retried = counter(registry, "retried");
		this.failed = counter(registry, "failed");
	}

	private static Counter counter(MeterRegistry registry, String outcome) {
		return Counter.builder("journeys.lifecycle.deliveries")
			.description("Lifecycle event deliveries by outcome: delivered, retried (a call failed, another "
					+ "comes later) or failed (the last attempt failed)")
			.tag("outcome", outcome)
			.register(registry);
	}

	/** One pass over the companies with deliveries due: how many were sent. */
	int sendDue() {
		int sent = 0;
		for (UUID company : this.outbox.companiesWithDue(this.clock.instant())) {
			try {
				sent += sendDue(company);
			}
			catch (DataAccessResourceFailureException | TransientDataAccessResourceException ex) {
				if (!DatabaseFailures.remoteNode(ex)) {
					throw ex;
				}
				// a Citus worker that is down holds back its companies' deliveries only
				if (DatabaseFailures.firstThisMinute("lifecycle sender: " + DatabaseFailures.describe(ex))) {
					log.warn(
							"The lifecycle event sender could not reach the database node holding company {}: {}; "
									+ "it tries again next pass (this line once a minute)",
							company, DatabaseFailures.describe(ex));
				}
			}
			catch (CannotCreateTransactionException ex) {
				// no connection: the pass ends, and the loop reports the outage
				throw ex;
			}
			catch (RuntimeException ex) {
				// one company's failure (a secret that does not open) holds back no other
				if (DatabaseFailures.firstThisMinute("lifecycle sender, company " + company)) {
					log.warn("The lifecycle event sender failed on the deliveries of company {}; they are tried "
							+ "again next pass (this line once a minute)", company, ex);
				}
			}
		}
		return sent;
	}

	/**
	 * A few batches of one company's due deliveries, each in a transaction of its own,
	 * after the expansion of a few of its {@code enrollment.entered} blocks. A company
	 * found with due deliveries that no claim takes may hold ones whose subscription was
	 * deleted meanwhile: those are dropped, so that the company is not searched again for
	 * them every pass.
	 */
	int sendDue(UUID companyId) {
		expand(companyId);
		int sent = 0;
		for (int batch = 0; batch < BATCHES_PER_COMPANY; batch++) {
			Integer called = this.transactions.execute(status -> sendBatch(companyId));
			if (batch == 0 && (called == null || called == 0)) {
				this.transactions.execute(status -> this.outbox.dropOrphans(companyId, this.clock.instant()));
			}
			if (called == null || called == 0) {
				break;
			}
			sent += called;
			if (called < this.properties.batchSize()) {
				break;
			}
		}
		return sent;
	}

	/**
	 * A few of the company's {@code enrollment.entered} blocks, each in a transaction of
	 * its own: one enroll's events for one subscription, so a statement no longer than
	 * the enroll's own. One that fails waits {@link #FAILED_BLOCK_WAIT} and holds back
	 * none of the company's other blocks and deliveries.
	 */
	private void expand(UUID companyId) {
		Instant now = this.clock.instant();
		for (UUID block : this.blocks.blocks(companyId, now, BLOCKS_PER_COMPANY)) {
			try {
				this.transactions.execute(status -> this.blocks.expandEntered(companyId, List.of(block)));
			}
			catch (DataAccessResourceFailureException | TransientDataAccessResourceException
					| CannotCreateTransactionException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				if (DatabaseFailures.firstThisMinute("lifecycle expansion, company " + companyId)) {
					log.warn("The lifecycle event sender could not expand the entered events of block {} of company "
							+ "{}; it goes on with the others and tries this one again in {} (this line once a "
							+ "minute)", block, companyId, FAILED_BLOCK_WAIT, ex);
				}
				this.transactions.executeWithoutResult(
						status -> this.blocks.deferBlock(companyId, block, now.plus(FAILED_BLOCK_WAIT)));
			}
		}
	}

	int sendBatch(UUID companyId) {
		Instant now = this.clock.instant();
		List<Outgoing> claimed = this.outbox.claim(companyId, now, this.properties.batchSize());
		if (claimed.isEmpty()) {
			return 0;
		}
		List<SignedCall> signed = claimed.stream()
			.map(outgoing -> new SignedCall(outgoing.url(), outgoing.messageId(), outgoing.body(),
					List.of(WebhookSecrets.signingKey(outgoing.secret()))))
			.toList();
		List<Outcome> answers = this.calls.callAll(signed, now.getEpochSecond());
		List<OutgoingDeliveries.Outcome> outcomes = new ArrayList<>();
		for (int i = 0; i < claimed.size(); i++) {
			Outgoing outgoing = claimed.get(i);
			Outcome answer = answers.get(i);
			outcomes.add(new OutgoingDeliveries.Outcome(outgoing.id(), answer.delivered(), answer.status(),
					answer.delivered() ? null : answer.error(), now.plus(this.calls.backoff(outgoing.attempts() + 1))));
		}
		Recorded recorded = this.outbox.record(companyId, outcomes, this.webhooks.maxAttempts(), now);
		this.delivered.increment(recorded.delivered());
		this.retried.increment(recorded.retried());
		this.failed.increment(recorded.failed());
		return claimed.size();
	}

}
