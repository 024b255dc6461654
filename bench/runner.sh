#!/usr/bin/env bash
# The step runner's benchmark (issue 10, R1 and R2), on this machine's PostgreSQL server:
#   R1: BENCH_RUNNER_SIZE enrollments in a journey [webhook] called on a local receiver
#       (bench/lib/Receiver.java, which answers 200 at once) and completed: deliveries per second,
#       against wrk POSTing a body of the same size to the same receiver for BENCH_DURATION s.
#   R2: BENCH_RUNNER_SIZE enrollments on a wait that falls due at once, completed by the runner:
#       the runner's statement (its log line) against the same UPDATE in psql, run
#       BENCH_ROUNDS times in a transaction rolled back, on the same rows just before.
# Contacts and the list are made in SQL (the benchmark is the runner, not the seeding).
#   bench/runner.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
jar=$1 size=${BENCH_RUNNER_SIZE:-100000} rounds=${BENCH_ROUNDS:-3} duration=${BENCH_DURATION:-10}
batch=${BENCH_RUNNER_BATCH:-100}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
db=journeys_runner_$$ port=$(free_port) rport=$(free_port)
lib=$(cd "$(dirname "$0")/lib" && pwd)
admin=runner-admin-$$-token-0123456789abcdef
work=$(mktemp -d)
psql -X -q -d postgres -c "create database $db"
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${rpid:-}" ]; then kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true; fi
  psql -X -q -d postgres -c "drop database if exists $db with (force)"
  if [ -n "${BENCH_KEEP_LOG:-}" ]; then cp "$work/service.log" "$BENCH_KEEP_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT
java "$lib/Receiver.java" "$rport" 64 > "$work/receiver.log" 2>&1 &
rpid=$!
# shellcheck disable=SC2086
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
  JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$port JOURNEYS_RUNNER_POLL_INTERVAL=200ms \
  JOURNEYS_RUNNER_BATCH_SIZE=$batch JOURNEYS_WEBHOOK_ALLOW_HTTP=true JOURNEYS_WEBHOOK_ALLOW_PRIVATE=true \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" > "$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break; sleep 0.5; done
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$rport/stats" && break; sleep 0.5; done

python3 - "$port" "$rport" "$admin" "$db" "$size" "$rounds" "$duration" "$work" "$batch" <<'PY'
import json, re, subprocess, sys, time, urllib.request
port, rport, admin, db, size, rounds, duration, work, batch = sys.argv[1:10]
size, rounds, duration = int(size), int(rounds), int(duration)

def call(method, path, token, body=None, base=None):
    request = urllib.request.Request((base or f"http://127.0.0.1:{port}") + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        raw = answer.read()
        return json.loads(raw) if raw else None

def receiver(path, method="GET"):
    return call(method, path, "", base=f"http://127.0.0.1:{rport}")

def sql(text, timed=False):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=("\\timing on\n" if timed else "") + text,
                         capture_output=True, text=True, check=True).stdout
    return [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")] if timed else out

def scalar(text):
    return int(subprocess.run(["psql", "-X", "-Atq", "-d", db, "-c", text], capture_output=True, text=True, check=True).stdout.strip())

def log_lines(pattern):
    with open(f"{work}/service.log") as log:
        return [m for m in (re.search(pattern, line) for line in log) if m]

company = call("POST", "/admin/v1/companies", admin, {"name": "R"})["id"]
token = call("POST", f"/admin/v1/companies/{company}/api_keys", admin, {"name": "r"})["token"]
list_id = call("POST", "/v1/lists", token, {"name": "everyone", "email_address": "everyone@r.example.com"})["id"]
sql(f"""insert into contacts (company_id, id, email_address, first_name, status, created_at, updated_at)
select '{company}', gen_random_uuid(), 'u' || n || '@r.example.com', 'User', 'active', now(), now() from generate_series(1, {size}) n;
insert into list_members (company_id, list_id, contact_id, added_at)
select company_id, '{list_id}', id, now() from contacts where company_id = '{company}';
vacuum analyze;""")

def journey(name, steps):
    made = call("POST", "/v1/journeys", token, {"name": name, "steps": steps})
    return made["id"], made["steps"]

def completed(journey_id):
    return scalar(f"select count(*) from enrollments where company_id = '{company}' and journey_id = '{journey_id}' and status = 'completed'")

rows = []
# R1 ------------------------------------------------------------------------------------------
hook, _ = journey("R1", [{"type": "webhook", "url": f"http://127.0.0.1:{rport}/hook"}])
receiver("/reset", "POST")
call("PATCH", f"/v1/journeys/{hook}", token, {"state": "on"})
start = time.monotonic()
call("POST", f"/v1/journeys/{hook}/enroll", token, {"list_email_addresses": ["everyone@r.example.com"]})
while completed(hook) < size:
    time.sleep(0.2)
    if time.monotonic() - start > 1800:
        sys.exit("R1: not completed within 30 minutes")
all_done = time.monotonic() - start
stats = receiver("/stats")
assert stats["count"] >= size, stats
span = (stats["last_ns"] - stats["first_ns"]) / 1e9
service_rate = stats["count"] / span
sample = json.dumps({"type": "journey.step.webhook", "timestamp": "2026-11-29T00:00:00.000000Z", "data": {
    "journey": {"id": hook, "name": "R1"}, "step": {"id": "step_0123456789abcdef", "type": "webhook", "position": 1},
    "enrollment": {"id": "01a2253f-2b89-759a-99cb-178738f0e67f", "enrolled_at": "2026-11-29T00:00:00.000000Z"},
    "contact": {"id": "01a2253f-2b75-7a8c-99df-6b7d267dc45d", "email_address": "u12345@r.example.com",
                "first_name": "User", "last_name": None}, "attempt": 1}}, separators=(",", ":"))
with open(f"{work}/post.lua", "w") as script:
    script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                 'wrk.headers["webhook-id"] = "msg_01a2253f2b89759a99cb178738f0e67f_step_0123456789abcdef"\n'
                 'wrk.headers["webhook-timestamp"] = "1780304460"\n'
                 'wrk.headers["webhook-signature"] = "v1,0x+Es5xvoQzdc/9L54JxlugHuR1b9T6WykKaVjfUiLs="\n'
                 f'wrk.body = {json.dumps(sample)}\n')
wrk = subprocess.run(["wrk", "-t2", f"-c{batch}", f"-d{duration}s", "-s", f"{work}/post.lua", f"http://127.0.0.1:{rport}/hook"],
                     capture_output=True, text=True, check=True).stdout
wrk_rate = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
rows.append(("R1", f"{size:,} webhook calls, batch {batch}", f"{service_rate:,.0f} calls/s ({span:.1f} s of calls, all completed {all_done:.1f} s after the enroll)",
             f"wrk, {batch} connections: {wrk_rate:,.0f} POST/s", f"{service_rate / wrk_rate:.2f}", "at least 0.50"))

# R2 ------------------------------------------------------------------------------------------
wait, steps = journey("R2", [{"type": "wait", "duration": "PT60S"}])
step = steps[0]["id"]
call("PATCH", f"/v1/journeys/{wait}", token, {"state": "on"})
call("POST", f"/v1/journeys/{wait}/enroll", token, {"list_email_addresses": ["everyone@r.example.com"]})
started = time.monotonic()
while not [m for m in log_lines(r"moved (\d+) enrollments of journey (\S+) from the start") if m.group(2) == wait]:
    time.sleep(0.2)
    if time.monotonic() - started > 300:
        sys.exit("R2: the runner did not start the enrollments")
sql("vacuum analyze enrollments;")
floor = sql(f"""begin;
update enrollments set status = 'completed', completed_at = now(), due_at = null
where company_id = '{company}' and journey_id = '{wait}' and status = 'active' and due_at <= now() + interval '1 day'
  and step_id = '{step}';
rollback;
""" * rounds, timed=True)
floor = sorted(t for t in floor if t > 1)  # the update statements (begin/rollback take well under 1 ms)
sql("vacuum analyze enrollments;")
while not [m for m in log_lines(r"moved (\d+) enrollments of journey (\S+) from \S+ to completion in (\d+) ms") if m.group(2) == wait]:
    time.sleep(0.5)
    if time.monotonic() - started > 300:
        sys.exit("R2: the runner did not complete the enrollments")
runner_ms = [int(m.group(3)) for m in log_lines(r"moved (\d+) enrollments of journey (\S+) from \S+ to completion in (\d+) ms") if m.group(2) == wait][0]
floor_ms = floor[len(floor) // 2]
assert completed(wait) == size
rows.append(("R2", f"{size:,} enrollments due at once on a wait", f"{runner_ms:,} ms (its statement, as it logged it)",
             f"the same UPDATE in psql: {floor_ms:,.0f} ms (median of {len(floor)})", f"{runner_ms / floor_ms:.2f}", "at most 2"))

print("| | scenario | service | floor | ratio | target |")
print("|---|---|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
PY
