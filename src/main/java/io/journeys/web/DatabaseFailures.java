package io.journeys.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Tells a lost database (worth a 503 and a retry) from a bug (a 500). */
public final class DatabaseFailures {

	public static final String MESSAGE = "Service temporarily unavailable: the database did not answer";

	/** Seconds a caller refused for a lost database is asked to wait. */
	public static final String RETRY_AFTER = "5";

	private DatabaseFailures() {
	}

	/**
	 * Whether the database answered "feature not supported" (SQLSTATE 0A000), as a Citus
	 * coordinator does for a statement it cannot distribute: a bug in the statement, a
	 * 500 with the database's message in the log, never a 503 "did not answer".
	 */
	public static boolean isNotSupported(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "0A000".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether the failure comes from losing the database: connection refused, closed or
	 * killed, pool or statement timeout.
	 */
	public static boolean isUnavailable(Throwable ex) {
		if (isNotSupported(ex)) {
			return false;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof QueryTimeoutException || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException) {
				return true;
			}
			if (cause instanceof SQLException sql) {
				String state = sql.getSQLState();
				if ((state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("57014")))
						|| "Connection is closed".equals(sql.getMessage())) {
					return true;
				}
			}
		}
		return false;
	}

}
