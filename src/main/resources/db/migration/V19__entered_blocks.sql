-- The enrollment.entered events of one enroll for one subscription, as one row until the sender
-- expands it into one delivery per enrollment. The enroll names the id block its enrollments took
-- ([first_enrollment_id, last_enrollment_id], enrolled at occurred_at) and the id block of the
-- deliveries to come (event_prefix, event_base): the delivery of the enrollment whose id is the nth
-- of the span is event_prefix || event_base + n, so its id is fixed when the enroll commits.
-- One row per event and subscription, written in the enroll's transaction, cost S3 with a
-- subscription 1.44 times S3 without (bench/results/2026-12-07-runner-r1.md); one row per enroll
-- and subscription, 1.02 (bench/results/2026-12-07-entered-blocks.md).
-- Expanding deletes the row in the transaction that inserts its deliveries; the delivery log reads
-- the rows not yet expanded as pending deliveries, so no event is ever out of sight. A contact's
-- delete writes its own deliveries first, as the expansion would no longer find its enrollments.
create table lifecycle_entered_blocks (
    company_id           uuid not null,
    id                   uuid not null,
    subscription_id      uuid not null,
    journey_id           uuid not null,
    occurred_at          timestamptz not null,
    first_enrollment_id  uuid not null,
    last_enrollment_id   uuid not null,
    event_prefix         text not null,
    event_base           bigint not null,
    -- set when an expansion failed: the block waits until then, and the company's others go first
    expand_after         timestamptz,
    primary key (company_id, id)
);

do $$
begin
    if exists (select 1 from pg_extension where extname = 'citus') then
        perform create_distributed_table('lifecycle_entered_blocks', 'company_id', colocate_with => 'contacts');
    end if;
end
$$;
