-- Journeys that decide (journeys.md sections 1 and 4).
-- attributes: the contact's JSON object, {} when none; a branch reads it in SQL (jsonb operators),
-- so that one statement moves every enrollment a case takes. time_zone: an IANA zone id, or null.
alter table contacts add column attributes jsonb not null default '{}';
alter table contacts add column time_zone text;

-- The timeline's decisions: a 'decided' row when a branch or split sent an enrollment one way;
-- way is 'case:<index>', 'otherwise' or 'path:<index>', next_step the step it led to ('end': the
-- enrollment completed). A pass may move an enrollment through several steps at one instant; the
-- decided rows' next_step orders their passages.
alter table enrollment_events add column way text;
alter table enrollment_events add column next_step text;
alter table enrollment_events drop constraint enrollment_events_kind_check;
alter table enrollment_events add constraint enrollment_events_kind_check
    check (kind in ('entered', 'called', 'event', 'timeout', 'goal', 'decided'));
