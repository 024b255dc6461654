-- What the runner did to each enrollment, for its timeline: 'entered' when it entered a step,
-- 'called' for each webhook call (with the answer's status, or the error). The end of the last
-- step is the enrollment's own completed_at or exited_at. Rows are only ever inserted.
create table enrollment_events (
    company_id     uuid not null,
    enrollment_id  uuid not null,
    at             timestamptz not null,
    step_id        text not null,
    kind           text not null check (kind in ('entered', 'called')),
    status         integer,
    error          text
);
create index enrollment_events_enrollment on enrollment_events (company_id, enrollment_id, at);

do $$
begin
    if exists (select 1 from pg_extension where extname = 'citus') then
        perform create_distributed_table('enrollment_events', 'company_id', colocate_with => 'contacts');
    end if;
end
$$;
