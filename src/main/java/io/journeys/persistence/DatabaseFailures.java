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

/** Tells a lost database (503, retry) from a bug (500), and logs it in one line. */
public final class DatabaseFailures {

	public static final String MESSAGE = "Service temporarily unavailable: the database could not be reached; "
			+ "retry after 5 seconds";

	public static final String NODE_MESSAGE = "Service temporarily unavailable: a database node holding this "
			+ "data could not be reached; retry after 5 seconds";

	public static final String COMMIT_MESSAGE = "Service temporarily unavailable: the database failed while "
			+ "committing, so the change may or may not have been made; retry after 5 seconds";

	public static final String RETRY_AFTER = "5";

	/** Citus's XX000 for a cached connection to a restarted worker that broke. */
	private static final String STALE_NODE_CONNECTION = "failure on connection marked as essential";

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private static final Map<String, Long> lastTimes = new ConcurrentHashMap<>();

	private DatabaseFailures() {
	}

	/** 0A000, as Citus answers a statement it cannot distribute: a bug, not a 503. */
	public static boolean isNotSupported(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "0A000".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

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

	public static String message(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (commitFailed(cause)) {
				return COMMIT_MESSAGE;
			}
		}
		return remoteNode(ex) ? NODE_MESSAGE : MESSAGE;
	}

	/** The outcome of a failed commit is not known. */
	private static boolean commitFailed(Throwable ex) {
		return ex instanceof TransactionSystemException && ex.getCause() instanceof SQLException;
	}

	/**
	 * Class 08 at severity {@code ERROR}: the session is fine, a Citus worker is lost.
	 */
	public static boolean remoteNode(Throwable ex) {
		ServerErrorMessage server = serverError(ex);
		return server != null && (String.valueOf(server.getSQLState()).startsWith("08") || staleNodeConnection(ex));
	}

	public static boolean staleNodeConnection(Throwable ex) {
		ServerErrorMessage server = serverError(ex);
		return server != null && String.valueOf(server.getMessage()).startsWith(STALE_NODE_CONNECTION);
	}

	/** The first server error, if {@code ERROR}: after it the session goes on. */
	static @Nullable ServerErrorMessage serverError(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
				ServerErrorMessage server = psql.getServerErrorMessage();
				return "ERROR".equals(server.getSeverity()) ? server : null;
			}
		}
		return null;
	}

	/** SQL state and first line of the innermost error; never the statement. */
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

	/** One line per failure; the stack trace at most once a minute per cause. */
	public static void log(Logger log, String what, Throwable ex) {
		String described = describe(ex);
		if (firstIn(MINUTE, described.replaceAll("[0-9]+", "#"))) {
			log.warn("{}: {} (stack trace once a minute for this cause)", what, described, ex);
		}
		else {
			log.warn("{}: {}", what, described);
		}
	}

	public static boolean firstThisMinute(String what) {
		return firstIn(MINUTE, what);
	}

	/** Only the one caller that gets true goes ahead. */
	public static boolean firstIn(Duration every, String what) {
		if (lastTimes.size() > 10_000) {
			// this many means varying messages; forgetting lets a line through early
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
