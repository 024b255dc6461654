-- The runner's work, by step: every statement of a pass names the step it takes enrollments from
-- (a start's is null), so each reads only the rows it moves or claims. With the step after the due
-- time, as in V8's enrollments_due, a move from one step read every due enrollment of the journey:
-- with 100,000 due at a webhook step, each pass's move of not-yet-started enrollments read all of
-- them (bench/results/2026-12-07-runner-r1.md).
create index enrollments_due_by_step on enrollments (company_id, journey_id, step_id, due_at)
    where status = 'active' and due_at is not null;
drop index enrollments_due;
