package io.journeys.persistence;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a lost database (worth a 503 and a retry) from a bug (a 500), says which part was
 * lost, and logs it in one line.
 */
public final class DatabaseFailures {

	/** The 503 when the database itself could not be reached or dropped the session. */
	public static final String MESSAGE = "Service temporarily unavailable: the database could not be reached; "
			+ "retry after 5 seconds";

	/**
	 * The 503 when the database answered that one of its nodes (a Citus worker holding
	 * the company's data) could not be reached.
	 */
	public static final String NODE_MESSAGE = "Service temporarily unavailable: a database node holding this "
			+ "data could not be reached; retry after 5 seconds";

	/**
	 * The 503 when the commit itself failed: the change may or may not have been made.
	 */
	public static final String COMMIT_MESSAGE = "Service temporarily unavailable: the database failed while "
			+ "committing, so the change may or may not have been made; retry after 5 seconds";

	/** Seconds a caller refused for a lost database is asked to wait. */
	public static final String RETRY_AFTER = "5";

	/**
	 * How a Citus coordinator reports, with no SQLSTATE of its own (XX000), that its
	 * session's cached connection to a worker broke: the first statement of each
	 * coordinator session that reaches a worker after the worker restarted; the next one
	 * reconnects.
	 */
	private static final String STALE_NODE_CONNECTION = "failure on connection marked as essential";

	private static final Duration MINUTE = Duration.ofMinutes(1);

	/** When each thing logged or done at most once in a while was last let through. */
	private static final Map<String, Long> lastTimes = new ConcurrentHashMap<>();

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
	 * Whether the failure comes from losing the database or one of its nodes: connection
	 * refused, closed or killed, pool or statement timeout, a commit that failed on the
	 * way.
	 */
	public static boolean isUnavailable(Throwable ex) {
		if (isNotSupported(ex)) {
			return false;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof CannotCreateTransactionException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof QueryTimeoutException || cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException || cause instanceof ConnectException
					|| commitFailed(cause)) {
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
		return remoteNode(ex);
	}

	/** The 503's message for a failure {@link #isUnavailable}. */
	public static String message(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (commitFailed(cause)) {
				return COMMIT_MESSAGE;
			}
		}
		return remoteNode(ex) ? NODE_MESSAGE : MESSAGE;
	}

	/** A commit (or rollback) the database failed: the outcome is not known. */
	private static boolean commitFailed(Throwable ex) {
		return ex instanceof TransactionSystemException && ex.getCause() instanceof SQLException;
	}

	/**
	 * Whether the database answered, over a session that stays good, that it could not
	 * reach another node: a connection exception (SQLSTATE class 08) sent by the server
	 * at severity {@code ERROR}, as a Citus coordinator reports a worker it lost.
	 */
	public static boolean remoteNode(Throwable ex) {
		ServerErrorMessage server = serverError(ex);
		return server != null && (String.valueOf(server.getSQLState()).startsWith("08") || staleNodeConnection(ex));
	}

	/**
	 * Whether a Citus coordinator said that its session's cached connection to a worker
	 * broke, as it does at the first use after the worker restarted.
	 */
	public static boolean staleNodeConnection(Throwable ex) {
		ServerErrorMessage server = serverError(ex);
		return server != null && String.valueOf(server.getMessage()).startsWith(STALE_NODE_CONNECTION);
	}

	/**
	 * The server's message of the first error in the chain that the server sent at
	 * severity {@code ERROR}, after which the session goes on; null when there is none.
	 */
	static @Nullable ServerErrorMessage serverError(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
				ServerErrorMessage server = psql.getServerErrorMessage();
				return "ERROR".equals(server.getSeverity()) ? server : null;
			}
		}
		return null;
	}

	/**
	 * What failed, in one line: the innermost SQL error (its SQLSTATE and the first line
	 * of its message, which names the node a Citus coordinator could not reach), or else
	 * the innermost cause. Never the statement.
	 */
	public static String describe(Throwable ex) {
		SQLException innermostSql = null;
		Throwable innermost = ex;
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			innermost = cause;
			if (cause instanceof SQLException sql) {
				innermostSql = sql;
			}
		}
		if (innermostSql != null) {
			return "SQLSTATE " + innermostSql.getSQLState() + ": " + firstLine(innermostSql.getMessage());
		}
		return innermost.getClass().getSimpleName() + ": " + firstLine(innermost.getMessage());
	}

	/**
	 * Logs a failure to reach the database in one line that says what failed (the request
	 * id comes with the logging context), with the stack trace at most once a minute for
	 * each cause.
	 */
	public static void log(Logger log, String what, Throwable ex) {
		String described = describe(ex);
		if (firstIn(MINUTE, described.replaceAll("[0-9]+", "#"))) {
			log.warn("{}: {} (stack trace once a minute for this cause)", what, described, ex);
		}
		else {
			log.warn("{}: {}", what, described);
		}
	}

	/**
	 * Whether this is the first time in a minute that {@code what} is asked about: for
	 * what should be logged, or logged in full, at most once a minute.
	 */
	public static boolean firstThisMinute(String what) {
		return firstIn(MINUTE, what);
	}

	/**
	 * Whether this is the first time in {@code every} that {@code what} is asked about;
	 * the one caller that gets true is the one that goes ahead.
	 */
	public static boolean firstIn(Duration every, String what) {
		if (lastTimes.size() > 10_000) {
			// causes are few; this many means messages that vary, and forgetting them
			// only
			// lets a line through early
			lastTimes.clear();
		}
		long now = System.nanoTime();
		return lastTimes.compute(what,
				(key, last) -> last == null || now - last >= every.toNanos() ? now : last) == now;
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		int end = message.indexOf('\n');
		return (end < 0 ? message : message.substring(0, end)).strip();
	}

}
