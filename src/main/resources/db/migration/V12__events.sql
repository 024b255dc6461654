-- Events a company sends about its contacts (POST /v1/events), and what journeys do with them.
--   id:          ours, time-ordered; with occurred_at, the position in a contact's listing.
--   key:         the caller's id, or ours as text when none was sent: one row, and one effect, per
--                key and company, for as long as the row is kept (JOURNEYS_EVENT_RETENTION).
--   properties:  the JSON object as sent (compact), read whole by the service.
-- Rows are written once and never updated. Keyed by contact: the key serves a contact's listing,
-- the history a condition reads and the contact delete, so a row costs two index entries (this key
-- and the caller's), as the lean floor's rows do (bench/events.sh).
-- No foreign key to contacts: as for enrollments, a contact delete deletes its events under the
-- contact-deletes lock, which every insert of events holds shared.
create table events (
    company_id   uuid not null,
    id           uuid not null,
    key          text not null,
    contact_id   uuid not null,
    name         text not null,
    properties   text not null,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    primary key (company_id, contact_id, occurred_at, id)
);
create unique index events_key on events (company_id, key);
-- The retention purge's range: rows come in received_at order, which a BRIN index summarizes in
-- a few pages, at almost no cost to each insert.
create index events_received on events using brin (received_at);

-- The events whose effects are still to apply, written in the transaction that stores them, and
-- deleted in the one that applies them (an event no journey listens to is never queued). Keyed in
-- the order they are applied: per contact, by occurred_at.
create table event_queue (
    company_id   uuid not null,
    contact_id   uuid not null,
    occurred_at  timestamptz not null,
    event_id     uuid not null,
    primary key (company_id, contact_id, occurred_at, event_id)
);

-- A journey's trigger and goal: {"event_name", "where"} as JSON text, null when none.
-- listens_to: every event name its trigger, goal and wait_for_event steps name, so that applying
-- an event reads only the journeys it can touch.
alter table journeys add column trigger text;
alter table journeys add column goal text;
alter table journeys add column time_zone text;
alter table journeys add column listens_to text[] not null default '{}';

-- trigger_event: the event that enrolled it ({"id", "name", "occurred_at", "properties"}).
-- waited_event: the key of the event that ended its wait_for_event step; cleared when it moves.
alter table enrollments add column trigger_event text;
alter table enrollments add column waited_event text;
alter table enrollments drop constraint enrollments_source_check;
alter table enrollments add constraint enrollments_source_check
    check (source in ('contact', 'list', 'import', 'trigger'));

-- The timeline's new moments: 'event' (a wait_for_event step got its event), 'timeout' (it did
-- not), 'goal' (the goal's event ended the enrollment); event holds {"id", "name", "occurred_at"}.
alter table enrollment_events add column event text;
alter table enrollment_events drop constraint enrollment_events_kind_check;
alter table enrollment_events add constraint enrollment_events_kind_check
    check (kind in ('entered', 'called', 'event', 'timeout', 'goal'));

do $$
begin
    if exists (select 1 from pg_extension where extname = 'citus') then
        perform create_distributed_table('events', 'company_id', colocate_with => 'contacts');
        perform create_distributed_table('event_queue', 'company_id', colocate_with => 'contacts');
    end if;
end
$$;
