package io.journeys.enrollment;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retries an enroll a deadlock or lock conflict rolled back: nothing was written. A dry
 * run's statements run in a transaction rolled back before the answer leaves, which
 * releases its locks and undoes its rows.
 */
final class EnrollPool {

	/** How an enroll's transaction ends. */
	enum Ending {

		/** A real enroll. */
		COMMIT,

		/** A dry run: the same statements, then nothing kept. */
		ROLLBACK

	}

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

	/**
	 * Runs work that ends its transaction itself, such as
	 * {@link EnrollStatements#lockAndEnroll}; a dry run wraps it in one rolled back.
	 */
	<T> T run(Ending ending, Function<EnrollStatements, T> work) {
		return (ending == Ending.COMMIT) ? withRetries(work) : inTransaction(ending, work);
	}

	<T> T inTransaction(Ending ending, Function<EnrollStatements, T> work) {
		return withRetries(statements -> Objects.requireNonNull(this.transactions.execute(status -> {
			if (ending == Ending.ROLLBACK) {
				status.setRollbackOnly();
			}
			return work.apply(statements);
		})));
	}

	private <T> T withRetries(Function<EnrollStatements, T> work) {
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
