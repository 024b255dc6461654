#!/usr/bin/env bash
# Where an S3-sized insert's time goes: builds a database with the service's migrations (1,000,000
# contacts, 100 lists x 1,000 members, 1.3M enrollments, all made in SQL), then times the floor's S3
# statement (100,000 rows) inside BEGIN ... ROLLBACK, once as migrated and once per schema change,
# for BENCH_ROUNDS rounds.
# Needs the packaged jar and the local PostgreSQL server:
#   bench/schema_cost.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
jar=$1 db=journeys_schema_cost_$$ rounds=${BENCH_ROUNDS:-2}
company=00000000-0000-4000-8000-000000000001
psql -X -q -d postgres -c "create database $db"
trap 'psql -X -q -d postgres -c "drop database if exists $db with (force)"' EXIT
# the migrations, by starting the service once
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
  JOURNEYS_ADMIN_TOKEN=x SERVER_PORT=0 timeout 30 java -jar "$jar" > /dev/null 2>&1 || true
psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
insert into companies (id, name, created_at) values ('$company', 'schema cost', now());
insert into contacts (company_id, id, email_address, status, created_at, updated_at)
select '$company', gen_random_uuid(), 'u' || n || '@bench.example.com', 'active', now(), now()
from generate_series(0, 999999) n;
insert into lists (company_id, id, name, email_address, created_at, updated_at)
select '$company', gen_random_uuid(), 'l' || i, 'list' || i || '@bench.example.com', now(), now()
from generate_series(0, 99) i;
insert into list_members (company_id, list_id, contact_id, added_at)
select l.company_id, l.id, c.id, now() from lists l cross join generate_series(0, 999) k
join contacts c on c.company_id = l.company_id
  and c.email_address = 'u' || ((substring(l.name from 2)::int * 1000 + k) * 10) || '@bench.example.com';
insert into journeys (company_id, id, name, state, created_at, updated_at)
select '$company', ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'j' || n, 'on', now(), now()
from generate_series(1, 999) n;
insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)
select c.company_id, uuid_v7(), '00000000-0000-4000-8000-000000000998', c.id, 'active', 'contact', now() from contacts c;
insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)
select c.company_id, uuid_v7(), '00000000-0000-4000-8000-000000000999', c.id, 'active', 'contact', now()
from contacts c where random() < 0.3;
vacuum analyze;
SQL
# the lean floor of bench/run.sh (bench.py lean_setup_sql) from the same rows, timed in the same run
lib=$(cd "$(dirname "$0")/lib" && pwd)
python3 -c "import sys; sys.path.insert(0, '$lib'); import bench; print(bench.lean_setup_sql('$company'))" \
  | psql -X -q -v ON_ERROR_STOP=1 -d "$db" > /dev/null
lean_insert=$(python3 -c "import sys; sys.path.insert(0, '$lib'); import bench; print(bench.lean_insert_sql(1,
  'from lean.lists l join lean.list_members m on m.list_id = l.id join lean.contacts c on c.id = m.contact_id', 'true'))")

journey=0
variant() { # name, DDL run first in the transaction, id expression
  journey=$((journey + 1))
  psql -X -q -d "$db" -c checkpoint
  local out
  out=$(psql -X -d "$db" <<SQL
begin;
$2
\timing on
insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id, enrolled_at)
select l.company_id, $3, '00000000-0000-4000-8000-$(printf %012d $journey)', m.contact_id, 'active', 'list', m.list_id, now()
from lists l
join list_members m on m.company_id = l.company_id and m.list_id = l.id
join contacts c on c.company_id = m.company_id and c.id = m.contact_id and c.status = 'active'
where l.company_id = '$company'
order by m.contact_id
on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing;
\timing off
rollback;
SQL
)
  printf '| %s | %s |\n' "$1" "$(echo "$out" | grep -o 'Time: [0-9.]* ms' | tail -1 | cut -d' ' -f2)"
}
# since V4-V6 enrollments has no foreign key and three indexes (primary key, enrollments_one_active,
# enrollments_page; enrollments_ended holds no active row): what is left is those and the row's width
echo "| variant (S3 insert, 100,000 rows) | ms |"
echo "|---|---|"
BLOCK="cast('019a0000000070aa' || to_hex(-8070450532247928832::bigint + row_number() over (order by m.contact_id)) as uuid)"
lean() {
  psql -X -q -d "$db" -c checkpoint
  printf '| %s | %s |\n' "lean floor (bigint keys, one partial unique index; bench/run.sh's reference)" \
    "$(printf 'begin;\n\\timing on\n%s\n\\timing off\nrollback;\n' "$lean_insert" | psql -X -d "$db" \
      | grep -o 'Time: [0-9.]* ms' | tail -1 | cut -d' ' -f2)"
}
for ((r = 0; r < rounds; r++)); do
  lean
  variant "as migrated (ids as IdBlock makes them)" "" "$BLOCK"
  variant "ids by uuid_v7() (V3)" "" "uuid_v7()"
  variant "ids by gen_random_uuid()" "" "gen_random_uuid()"
  variant "enrollments_page dropped too" "drop index enrollments_page;" "$BLOCK"
  variant "only the partial unique index (no primary key either)" \
    "drop index enrollments_page; alter table enrollments drop constraint enrollments_pkey;" "$BLOCK"
done
