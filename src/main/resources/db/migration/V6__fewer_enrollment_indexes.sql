-- Every index on enrollments is written by every enroll: on a 100,000-row enroll
-- (bench/schema_cost.sh) enrollments_contact cost about a tenth. Its one reader was the contact
-- delete, which now finds a contact's rows through the company's journeys instead: its active
-- rows by enrollments_one_active, all others by enrollments_ended below (a bitmap OR of two index
-- probes per journey, about 2 ms for a company with 1,000 journeys).
drop index enrollments_contact;
-- The re-entry check's index, widened from completed rows to every row that is not active (so
-- that the delete above finds exited rows too). Inserting active rows still does not touch it;
-- status is included so that the re-entry check stays an index-only scan.
create index enrollments_ended
    on enrollments (company_id, journey_id, contact_id, completed_at) include (status)
    where status <> 'active';
drop index enrollments_completed;
