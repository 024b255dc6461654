package io.journeys.persistence;

import java.sql.SQLException;
import java.util.function.Supplier;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs again a write whose parent was deleted after its snapshot (23503). Locking parents
 * would cost every request for a rare race, and Citus refuses row locks in an insert.
 */
@Component
public final class ParentDeletedRetry {

	/** A parent can be deleted again between attempts; three settle any real race. */
	public static final int MAX_ATTEMPTS = 3;

	private final TransactionTemplate transactions;

	public ParentDeletedRetry(PlatformTransactionManager transactionManager) {
		this.transactions = new TransactionTemplate(transactionManager);
	}

	public <T> T inTransaction(Supplier<T> work) {
		for (int attempt = 1;; attempt++) {
			try {
				return this.transactions.execute(status -> work.get());
			}
			catch (DataIntegrityViolationException ex) {
				if (attempt == MAX_ATTEMPTS || !isForeignKeyViolation(ex)) {
					throw ex;
				}
			}
		}
	}

	public static boolean isForeignKeyViolation(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
