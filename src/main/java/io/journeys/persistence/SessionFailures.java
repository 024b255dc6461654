package io.journeys.persistence;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;
import org.postgresql.util.PSQLException;

/** Citus answers 08006 over a good session for a lost worker: {@code ERROR} keeps it. */
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
