package io.journeys.persistence;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.postgresql.util.PSQLException;

/**
 * Tells Hikari which failures end the session it pooled. Hikari closes a connection on
 * any SQLSTATE of class 08 (connection exception); but a Citus coordinator answers 08006
 * when it could not reach one of its workers, over a session to the coordinator that is
 * as good as before. Closing it made every request of every company open a new session
 * while one worker was down (41 a second instead of 0.2). An error the server sent at
 * severity {@code ERROR} leaves the session usable: the connection stays in the pool. A
 * {@code FATAL} or {@code PANIC} one, or a failure the driver met on the socket (no
 * server message), ends it as before.
 */
public final class SessionFailures implements SQLExceptionOverride {

	private final Runnable onStaleNodeConnection;

	/** As Hikari makes it from {@code exception-override-class-name}. */
	public SessionFailures() {
		this(() -> {
		});
	}

	/**
	 * @param onStaleNodeConnection what to do when a session's cached connection to a
	 * Citus worker turns out broken: the worker restarted, and every other session of the
	 * pool that has not reached it since holds such a connection too
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
