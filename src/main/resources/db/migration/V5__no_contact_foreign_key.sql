-- The foreign key from enrollments to contacts ran its trigger once per inserted row, about a
-- third of a 100,000-contact enroll (bench/schema_cost.sh). What it guaranteed is now kept by
-- the service (io.journeys.persistence.ContactDeletes): every transaction that inserts
-- enrollments holds a per-company advisory lock shared, a contact delete holds it exclusively
-- and deletes the contact's enrollments itself. DeleteRaceTests races both and counts orphans.
alter table enrollments drop constraint enrollments_company_id_contact_id_fkey;
