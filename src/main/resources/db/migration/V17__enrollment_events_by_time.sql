-- The retention purge (io.journeys.retention) deletes a company's timeline rows older than
-- JOURNEYS_RETENTION_ENROLLMENT_EVENTS a batch at a time; without this index every batch would
-- read all of the company's rows through enrollment_events_enrollment to find the old ones.
create index enrollment_events_at on enrollment_events (company_id, at);
