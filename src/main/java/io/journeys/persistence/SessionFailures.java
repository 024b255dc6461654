package io.journeys.persistence;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.postgresql.util.PSQLException;

/**
 * Tells Hikari which failures end a session. Hikari evicts on any SQLSTATE of class 08,
 * but a Citus coordinator answers 08006 for an unreachable worker over a session that is
 * still good; evicting would make every request open a new session while a worker is
 * down. A server error at severity {@code ERROR} keeps the connection; a {@code FATAL} or
 * {@code PANIC} one, or a socket failure, ends it.
 */
public final class SessionFailures implements SQLExceptionOverride {

	private final Runnable onStaleNodeConnection;

	public SessionFailures() {
		this(() -> {
		});
	}

	/**
	 * @param onStaleNodeConnection called when a session's cached connection to a Citus
	 * worker turned out broken: the other sessions hold one too
	 * ({@link UnreachableDatabaseBreaker} replaces them)
	 */
	public SessionFailures(Runnable onStaleNodeConnection) {
		this.onStaleNodeConnection = onStaleNodeConnection;
	}

	@java.lang.Override
	public Override adjudicate(SQLException failure) {
		if (DatabaseFailures.staleNodeConnection(failure)) {
			this.onStaleNodeConnection.run();
		}
		return sessionGoesOn(failure) ? Override.DO_NOT_EVICT : Override.CONTINUE_EVICT;
	}

	static boolean sessionGoesOn(SQLException failure) {
		return failure instanceof PSQLException && DatabaseFailures.serverError(failure) != null;
	}

}
