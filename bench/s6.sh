#!/usr/bin/env bash
# S6: one list of 1,000,000 members enrolled in one request. Builds a database with the service's
# migrations, a company with BENCH_S6_SIZE contacts all in one list (made in SQL: S6 measures the
# enroll, not the seeding), then times, each BENCH_ROUNDS times:
#   - the enroll by that list into a fresh journey (all enrolled), sampling the service's RSS;
#   - the same request again (all already enrolled: the answer lists every address);
#   - the lean floor (bench.py lean_setup_sql / lean_insert_sql) enrolling the same list.
# Needs the packaged jar and the local PostgreSQL server:
#   bench/s6.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
jar=$1 size=${BENCH_S6_SIZE:-1000000} rounds=${BENCH_ROUNDS:-2}
db=journeys_s6_$$ port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
lib=$(cd "$(dirname "$0")/lib" && pwd)
admin=s6-admin-$$-token-0123456789abcdef
work=$(mktemp -d)
psql -X -q -d postgres -c "create database $db"
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  psql -X -q -d postgres -c "drop database if exists $db with (force)"
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck disable=SC2086
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
  JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$port \
  java ${BENCH_JAVA_OPTS--XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=15000} \
  -jar "$jar" > "$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break; sleep 0.5; done

python3 - "$port" "$admin" "$db" "$size" "$rounds" "$pid" "$lib" <<'PY'
import json, subprocess, sys, threading, time, urllib.request
port, admin, db, size, rounds, pid, lib = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
sys.path.insert(0, lib)
import bench

def call(method, path, token, body=None, timeout=600):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    start = time.monotonic()
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        raw = answer.read()
        return json.loads(raw), time.monotonic() - start, len(raw)

def sql(text, timed=False):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=("\\timing on\n" if timed else "") + text,
                         capture_output=True, text=True, check=True).stdout
    return [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")]

company = call("POST", "/admin/v1/companies", admin, {"name": "S6"})[0]["id"]
token = call("POST", f"/admin/v1/companies/{company}/api_keys", admin, {"name": "s6"})[0]["token"]
list_id = call("POST", "/v1/lists", token, {"name": "everyone", "email_address": "everyone@s6.example.com"})[0]["id"]
sql(f"""insert into contacts (company_id, id, email_address, status, created_at, updated_at)
select '{company}', gen_random_uuid(), 'u' || n || '@s6.example.com', 'active', now(), now() from generate_series(1, {size}) n;
insert into list_members (company_id, list_id, contact_id, added_at)
select company_id, '{list_id}', id, now() from contacts where company_id = '{company}';
vacuum analyze;""")
sql(bench.lean_setup_sql(company))

def enroll(journey):
    samples, stop = [], threading.Event()
    def sample():
        while not stop.is_set():
            samples.append(bench.rss_kib(pid) or 0)
            stop.wait(0.05)
    before = bench.rss_kib(pid)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    answer, seconds, length = call("POST", f"/v1/journeys/{journey}/enroll", token,
                                   {"list_email_addresses": ["everyone@s6.example.com"]})
    stop.set()
    sampler.join()
    return answer, seconds, before, max(samples + [before]), length

rows = []
for r in range(rounds):
    journey = call("POST", "/v1/journeys", token, {"name": f"s6 {r}"})[0]["id"]
    call("PATCH", f"/v1/journeys/{journey}", token, {"state": "on"})
    sql("checkpoint")
    first = enroll(journey)
    again = enroll(journey)
    sql("checkpoint")
    lean = sql(bench.lean_insert_sql(900000 + r, "from lean.lists l join lean.list_members m on m.list_id = l.id "
                                     "join lean.contacts c on c.id = m.contact_id",
                                     "l.email_address = 'everyone@s6.example.com'"), timed=True)[-1]
    assert first[0]["enrolled_count"] == size, first[0]["enrolled_count"]
    assert len(again[0]["not_enrolled"]["already_enrolled"]) == size
    rows.append((first, again, lean))

print(f"S6: one list of {size:,} members, one request; {rounds} rounds, each into a fresh journey")
print()
print("| Round | Service: all enrolled | RSS before / peak | Same request again (all already enrolled) | RSS peak | answer size | Lean floor | Service / lean |")
print("|---|---|---|---|---|---|---|---|")
for i, (first, again, lean) in enumerate(rows, 1):
    print(f"| {i} | {first[1]:.1f} s | {first[2] / 1024:.0f} / {first[3] / 1024:.0f} MiB | {again[1]:.1f} s "
          f"| {again[3] / 1024:.0f} MiB | {again[4] / 1e6:.1f} MB | {lean / 1000:.1f} s | {first[1] * 1000 / lean:.2f} |")
PY
