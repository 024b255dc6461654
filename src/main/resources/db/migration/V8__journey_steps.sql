-- Journeys that run steps. A journey's steps are a JSON array kept as text (the service reads and
-- writes it whole; nothing in SQL looks inside); null means a journey without steps, whose
-- enrollments end only by complete, unenroll or import, as before. webhook_secret signs the
-- journey's webhook calls (see README, "Journeys that run").
alter table journeys add column steps text;
alter table journeys add column webhook_secret text;

-- Where an active enrollment of a journey with steps stands: step_id is the step it is in (null:
-- not started yet), due_at when that step is due (the end of a wait, the next attempt of a
-- webhook), attempts how many calls its current step has made. Enrollments of journeys without
-- steps keep due_at null, and so stay out of the runner's index below.
alter table enrollments add column step_id text;
alter table enrollments add column step_started_at timestamptz;
alter table enrollments add column due_at timestamptz;
alter table enrollments add column attempts integer not null default 0;
alter table enrollments add column last_attempt_at timestamptz;
alter table enrollments add column last_status integer;
alter table enrollments add column last_error text;
alter table enrollments add column exit_reason text;

-- The runner's work: active enrollments with a step to run, by journey and due time.
create index enrollments_due on enrollments (company_id, journey_id, due_at)
    where status = 'active' and due_at is not null;
