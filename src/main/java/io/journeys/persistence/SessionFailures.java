package io.journeys.persistence;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.postgresql.util.PSQLException;

/**
 * Tells Hikari which failures end a session: a Citus coordinator answers 08006 for an
 * unreachable worker over a good session, so a server {@code ERROR} keeps it.
 */
public final class SessionFailures implements SQLExceptionOverride {

	private final Runnable onStaleNodeConnection;

	public SessionFailures() {
		this(() -> {
		});
	}

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
