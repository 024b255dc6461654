-- Journeys that decide (journeys.md sections 1 and 4).
-- attributes: the contact's JSON object, {} when none; a branch reads it in SQL (jsonb operators),
-- so that one statement moves every enrollment a case takes. time_zone: an IANA zone id, or null.
alter table contacts add column attributes jsonb not null default '{}';
alter table contacts add column time_zone text;

-- The timeline's decisions: a 'decided' row when a branch or split sent an enrollment one way;
-- way is 'case:<index>', 'otherwise' or 'path:<index>'.
alter table enrollment_events add column way text;
alter table enrollment_events drop constraint enrollment_events_kind_check;
alter table enrollment_events add constraint enrollment_events_kind_check
    check (kind in ('entered', 'called', 'event', 'timeout', 'goal', 'decided'));

-- An ISO-8601 time with an offset, as Java's OffsetDateTime.parse reads it, or null: conditions
-- comparing times (gt, gte, lt, lte) read attribute and property values through it, and a value
-- that is no such time never matches and never fails the statement.
create function journeys_instant(value text) returns timestamptz
language plpgsql immutable strict parallel safe as $$
begin
    if value !~* '^[0-9]{4}-[0-9]{2}-[0-9]{2}t([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?(z|[+-][0-9]{2}:[0-5][0-9](:[0-5][0-9])?)$' then
        return null;
    end if;
    return value::timestamptz;
exception when others then
    return null;
end
$$;
