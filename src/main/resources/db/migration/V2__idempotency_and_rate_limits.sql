-- The first answer to each (company, Idempotency-Key), replayed to retries for 24 hours.
create table idempotency_keys (
    company_id       uuid not null references companies (id),
    key              text not null,
    request_hash     bytea not null,
    state            text not null check (state in ('running', 'done')),
    response_status  integer,
    response_body    bytea,
    created_at       timestamptz not null,
    expires_at       timestamptz not null,
    primary key (company_id, key)
);
create index idempotency_keys_expiry on idempotency_keys (expires_at);

-- Bucket4j's token buckets, one per API key; the id is '<company_id>:<api_key_id>', so the
-- company leads the key here too.
create table rate_limit_buckets (
    id          text primary key,
    state       bytea,
    expires_at  bigint
);
