package io.journeys.persistence;

import java.sql.SQLException;
import java.util.function.Supplier;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a write that inserts rows referring to contacts or lists in a transaction, and
 * runs it again when a row it refers to was deleted after its statement's snapshot (the
 * insert then breaks a foreign key, SQLState 23503): the next attempt no longer sees the
 * deleted row, so the request behaves as if it had come just after the delete. Locking
 * the parents in the statement would do the same without a retry, but costs every request
 * for a rare race, and Citus refuses row locks inside a statement that also inserts.
 */
@Component
public final class ParentDeletedRetry {

	/** A parent can be deleted again between attempts; three settle any real race. */
	public static final int MAX_ATTEMPTS = 3;

	private final TransactionTemplate transactions;

	public ParentDeletedRetry(PlatformTransactionManager transactionManager) {
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/** The work in a transaction of the main pool, run again after a deleted parent. */
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

	/** Whether the failure is a foreign key violation (SQLState 23503). */
	public static boolean isForeignKeyViolation(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

}
