package io.journeys.enrollment;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/** Retries an enroll a deadlock or lock conflict rolled back: nothing was written. */
final class EnrollPool {

	private static final int MAX_ATTEMPTS = 3;

	private final EnrollStatements statements;

	private final TransactionTemplate transactions;

	private final Semaphore slots;

	private final Duration wait;

	private final EnrollmentMetrics metrics;

	EnrollPool(EnrollStatements statements, TransactionTemplate transactions, Semaphore slots, Duration wait,
			EnrollmentMetrics metrics) {
		this.statements = statements;
		this.transactions = transactions;
		this.slots = slots;
		this.wait = wait;
		this.metrics = metrics;
	}

	<T> T run(Function<EnrollStatements, T> work) {
		acquireSlot();
		try {
			for (int attempt = 1;; attempt++) {
				try {
					return work.apply(this.statements);
				}
				catch (ConcurrencyFailureException ex) {
					if (attempt == MAX_ATTEMPTS) {
						throw ex;
					}
					this.metrics.retried();
				}
			}
		}
		finally {
			this.slots.release();
		}
	}

	<T> T inTransaction(Function<EnrollStatements, T> work) {
		return run(statements -> Objects.requireNonNull(this.transactions.execute(status -> work.apply(statements))));
	}

	private void acquireSlot() {
		try {
			if (!this.slots.tryAcquire(this.wait.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new TooManyListEnrolls();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TooManyListEnrolls();
		}
	}

}
