-- Journeys are never deleted (archived is their end; the service has no statement that deletes
-- one, and JourneyRepository offers no delete), and every enroll, complete and import locks its
-- journey row before it writes. The foreign key from enrollments to journeys therefore guarded
-- nothing the code does not, and its trigger ran once per inserted row: 12-15 % of a
-- 100,000-row enroll (bench/schema_cost.sh). JourneysAreNeverDeletedTests keeps the guarantee.
alter table enrollments drop constraint enrollments_company_id_journey_id_fkey;
