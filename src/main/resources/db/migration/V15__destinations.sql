-- Every origin (scheme, host, port) a company's webhook steps call is a destination: its own
-- limit and state, held for all journeys and all instances. Its token bucket lives in
-- rate_limit_buckets (Bucket4j, as the API rate limit does); its calls and failures are counted
-- per minute, for the last hour shown and the circuit breaker's 5 minutes.
create table destinations (
    company_id      uuid not null,
    id              uuid not null,
    origin          text not null,
    state           text not null default 'active' check (state in ('active', 'paused')),
    paused_reason   text check (paused_reason in ('manual', 'failing')),
    paused_at       timestamptz,
    resumed_at      timestamptz,
    probe_at        timestamptz,
    max_per_second  integer check (max_per_second > 0),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (company_id, id),
    unique (company_id, origin),
    check ((state = 'paused') = (paused_reason is not null))
);

create table destination_minutes (
    company_id      uuid not null,
    destination_id  uuid not null,
    minute          timestamptz not null,
    calls           integer not null,
    failures        integer not null,
    primary key (company_id, destination_id, minute)
);

do $$
begin
    if exists (select 1 from pg_extension where extname = 'citus') then
        perform create_distributed_table('destinations', 'company_id', colocate_with => 'contacts');
        perform create_distributed_table('destination_minutes', 'company_id', colocate_with => 'contacts');
    end if;
end
$$;
