-- pgbench script for the S1 floor: one enrollment per transaction, a random seeded contact by email
-- into a random journey of a pool, with the same ON CONFLICT arbiter the service uses.
-- Variables (pgbench -D): company (uuid), ncontacts, jbase, njourneys. Floor journeys have ids
-- 00000000-0000-4000-8000-<12-digit number>, created by run.sh directly in SQL.
-- Ids as the service makes them (IdBlock): the millisecond, version 7, 12 random bits, then the
-- variant and 61 random bits; no volatile function, so that Citus can route the insert.
\set n random(0, :ncontacts - 1)
\set r random(0, 4095)
\set b random(0, 2305843009213693951)
\set jn :jbase + random(1, :njourneys)
/* bench floor */ insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)
select c.company_id,
       cast(lpad(to_hex(floor(extract(epoch from now()) * 1000)::bigint), 12, '0') || '7'
            || lpad(to_hex(:r::int), 3, '0') || to_hex(:b::bigint + (-9223372036854775807 - 1) + 1) as uuid),
       ('00000000-0000-4000-8000-' || lpad(:jn::text, 12, '0'))::uuid,
       c.id, 'active', 'contact', now()
from contacts c
where c.company_id = :company::uuid and c.email_address = 'u' || :n::text || '@bench.example.com'
  and c.status = 'active'
on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing;
