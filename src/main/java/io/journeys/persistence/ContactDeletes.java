package io.journeys.persistence;

/**
 * Keeps an enrollment from outliving its contact without a foreign key, whose trigger
 * would check every inserted row (bench/results/2026-11-28-schema-cost.md): a per-company
 * advisory lock, held shared by every statement that inserts enrollments (taken before
 * its snapshot) and exclusively by a contact delete, so that a delete waits for the
 * running inserts, then deletes their rows too. Enrolls never wait for each other.
 * <p>
 * Both are table functions to join, in the same statement, with a row of the company's
 * tables, so that Citus takes the lock where that company's rows live.
 */
public final class ContactDeletes {

	private static final String KEY = "hashtextextended('contact-deletes:' || cast(:company as text), 0)";

	public static final String SHARED = "pg_advisory_xact_lock_shared(" + KEY + ")";

	public static final String EXCLUSIVE = "pg_advisory_xact_lock(" + KEY + ")";

	private ContactDeletes() {
	}

}
