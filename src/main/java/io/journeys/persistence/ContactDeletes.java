package io.journeys.persistence;

/**
 * What keeps an enrollment from outliving its contact now that no foreign key does (V5):
 * a per-company advisory lock. Every statement that inserts enrollments runs in a
 * transaction that holds it shared, taken before that statement's snapshot; a contact
 * delete holds it exclusively, so it waits for the running inserts to commit and then
 * deletes the contact's enrollments, theirs included, while no new insert can start.
 * Enrolls never wait for each other on it. The foreign key's trigger checked every
 * inserted row (about a third of a 100,000-contact enroll, {@code bench/schema_cost.sh});
 * this costs one lock per request.
 * <p>
 * Both forms are table functions to be joined, in the same statement, with a row of the
 * company's own tables, so that the lock is taken where that company's rows live.
 */
public final class ContactDeletes {

	private static final String KEY = "hashtextextended('contact-deletes:' || cast(:company as text), 0)";

	/** Held by whatever inserts enrollments; {@code :company} is the company's id. */
	public static final String SHARED = "pg_advisory_xact_lock_shared(" + KEY + ")";

	/** Held by a contact delete; {@code :company} is the company's id. */
	public static final String EXCLUSIVE = "pg_advisory_xact_lock(" + KEY + ")";

	private ContactDeletes() {
	}

}
