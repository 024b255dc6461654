-- Lifecycle events out (spec section 6): a company's subscriptions, and its outbox.
-- A subscription's secret is sealed like a journey's webhook secret; journey_ids null means every
-- journey. Deleting a subscription deletes its deliveries.
create table subscriptions (
    company_id   uuid not null,
    id           uuid not null,
    url          text not null,
    event_types  text[] not null,
    journey_ids  uuid[],
    secret       text not null,
    created_at   timestamptz not null,
    primary key (company_id, id)
);

-- One row per event and subscription, written by the statement (or in the transaction) of the
-- change itself, only when a subscription wants it: its id is the delivery's webhook-id, and it
-- carries the delivery's status, attempts and last error for the delivery log. The payload is
-- built when it is sent, from these columns (data: what a column does not hold, such as a
-- destination's origin or a failed call's answer).
create table lifecycle_deliveries (
    company_id       uuid not null,
    id               uuid not null,
    subscription_id  uuid not null,
    type             text not null,
    occurred_at      timestamptz not null,
    journey_id       uuid,
    enrollment_id    uuid,
    contact_id       uuid,
    exit_reason      text,
    data             jsonb,
    status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    due_at           timestamptz,
    attempts         integer not null default 0,
    last_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    primary key (company_id, id)
);
-- the sender's claim, and its search for companies with due deliveries
create index lifecycle_deliveries_due on lifecycle_deliveries (company_id, due_at) where status = 'pending';
-- No index by subscription or time: every index is written by each event of a 100,000-row enroll
-- (one more took S3 with a subscription from 1.25 to 1.63 times S3 without, bench/lifecycle.sh at
-- 20,000). Ids are time-ordered (their first 48 bits are the event's millisecond), so the delivery
-- log, replay and the purge read the primary key by id.

do $$
begin
    if exists (select 1 from pg_extension where extname = 'citus') then
        perform create_distributed_table('subscriptions', 'company_id', colocate_with => 'contacts');
        perform create_distributed_table('lifecycle_deliveries', 'company_id', colocate_with => 'contacts');
    end if;
end
$$;
