-- Each API key's token bucket moves to its company's rows: keyed by (company_id, id), where id
-- names the key and the policy, and on Citus distributed by company_id, colocated with the other
-- tenant tables, so that a company's rate limit depends on its own shard's worker only (it was
-- distributed by its own text id, which put half the companies' buckets on another worker).
-- Buckets are soft state: the old table's rows are not carried over, and every key starts with a
-- full bucket once.
drop table rate_limit_buckets;

create table rate_limit_buckets (
    company_id  uuid not null,
    id          text not null,
    state       bytea,
    expires_at  bigint,
    primary key (company_id, id)
);

do $$
begin
    if exists (select 1 from pg_extension where extname = 'citus') then
        perform create_distributed_table('rate_limit_buckets', 'company_id', colocate_with => 'contacts');
    end if;
end
$$;
