"""Journeys that decide (bench/decisions.sh): D1 (a branch) and D2 (a wait_until over 400 zones),
each against the plain SQL doing the same on the same rows, and the busiest second of D2's due
times with and without a spread. Prints a markdown table."""
import json, re, subprocess, sys, time, urllib.request

port, admin, db, size, rounds, work = sys.argv[1:7]
size, rounds = int(size), int(rounds)

def call(method, path, token, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        raw = answer.read()
        return json.loads(raw) if raw else None

def sql(text, timed=False):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=("\\timing on\n" if timed else "") + text,
                         capture_output=True, text=True, check=True).stdout
    return [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")] if timed else out

def scalar(text):
    return subprocess.run(["psql", "-X", "-Atq", "-d", db, "-c", text], capture_output=True, text=True, check=True).stdout.strip()

def log_lines(pattern):
    with open(f"{work}/service.log") as log:
        return [m for m in (re.search(pattern, line) for line in log) if m]

def wait_for(pattern, journey, what, count=1):
    started = time.monotonic()
    while len([m for m in log_lines(pattern) if m.group(2) == journey]) < count:
        time.sleep(0.2)
        if time.monotonic() - started > 600:
            sys.exit(f"{what}: the runner did not log it within 10 minutes")
    return [m for m in log_lines(pattern) if m.group(2) == journey]

company = call("POST", "/admin/v1/companies", admin, {"name": "D"})["id"]
token = call("POST", f"/admin/v1/companies/{company}/api_keys", admin, {"name": "d"})["token"]
# 400 region zones PostgreSQL and Java both know, in a fixed order
zones = scalar("""select string_agg(name, ',' order by name) from (select name from pg_timezone_names
  where name ~ '^(Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific)/' order by name limit 400) z""").split(",")
assert len(zones) == 400, len(zones)
sql(f"""insert into contacts (company_id, id, email_address, first_name, status, created_at, updated_at, attributes, time_zone)
select '{company}', gen_random_uuid(), 'u' || n || '@bench.example.com', 'User', 'active', now(), now(),
       jsonb_build_object('plan', case when n % 10 < 3 then 'pro' when n % 10 < 5 then 'team' else 'free' end,
                          'seats', n % 50),
       (string_to_array('{",".join(zones)}', ','))[n % 400 + 1]
from generate_series(0, {size} - 1) n;
vacuum analyze;""")

def journey(name, body):
    made = call("POST", "/v1/journeys", token, dict(name=name, **body))
    return made["id"]

def enroll_at(journey_id, step):
    """Active enrollments of every contact, at `step`, due now (as a runner move leaves them)."""
    sql(f"""insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at, step_id,
       step_started_at, due_at)
    select company_id, gen_random_uuid(), '{journey_id}', id, 'active', 'contact', now(), '{step}', now(), now()
    from contacts where company_id = '{company}';
    update enrollments set due_at = step_started_at where company_id = '{company}' and journey_id = '{journey_id}';
    vacuum analyze;""")

rows = []
# D1 ----------------------------------------------------------------------------------------------
wait = {"type": "wait", "duration": "P1D", "next": "end"}
d1 = journey("D1", {"steps": [
    {"id": "who", "type": "branch", "cases": [
        {"when": {"attribute": "plan", "equals": "pro"}, "next": "pro"},
        {"when": {"attribute": "plan", "equals": "team"}, "next": "team"},
        {"when": {"attribute": "plan", "equals": "free"}, "next": "free"}], "otherwise": "end"},
    dict(id="pro", **wait), dict(id="team", **wait), dict(id="free", **wait)]})
enroll_at(d1, "who")
where = f"e.company_id = '{company}' and e.journey_id = '{d1}' and e.status = 'active' and e.due_at <= now() and e.step_id = 'who'"
one = """update enrollments e set step_id = '{to}', step_started_at = now(), due_at = now() + interval '1 day', attempts = 0
  from contacts c where {where} and c.company_id = e.company_id and c.id = e.contact_id and c.attributes ->> 'plan' = '{to}';\n"""
floor = sql(("begin;\n" + "".join(one.format(to=plan, where=where) for plan in ("pro", "team", "free")) + "rollback;\n") * rounds, timed=True)
floor = sorted(sum(floor[i * 5 + 1:i * 5 + 4]) for i in range(rounds))
sql("vacuum analyze enrollments;")
call("PATCH", f"/v1/journeys/{d1}", token, {"state": "on"})
moves = wait_for(r"moved (\d+) enrollments of journey (\S+) from who to (\S+) in (\d+) ms", d1, "D1", 3)
runner_ms = sum(int(m.group(4)) for m in moves)
moved = sum(int(m.group(1)) for m in moves)
assert moved == size, moved
# the log lines come before the pass commits
for _ in range(300):
    if scalar(f"select count(*) from enrollment_events where company_id = '{company}' and kind = 'decided'") == str(size):
        break
    time.sleep(0.1)
else:
    sys.exit("D1: the decisions' rows are not all there")
floor_ms = floor[len(floor) // 2]
rows.append(("D1", f"{size:,} enrollments at a branch of 3 cases on an attribute",
             f"{runner_ms:,} ms (its 3 statements, each also logging its rows twice: decided and entered)",
             f"the same 3 UPDATEs in psql: {floor_ms:,.0f} ms (median of {len(floor)})", f"{runner_ms / floor_ms:.2f}", "at most 2"))

# D2 ----------------------------------------------------------------------------------------------
def d2(spread):
    step = {"id": "morning", "type": "wait_until", "time": "09:00"}
    if spread:
        step["spread"] = spread
    journey_id = journey("D2" + (" spread" if spread else ""), {"steps": [step, {"id": "after", "type": "wait", "duration": "PT1M"}]})
    enroll_at(journey_id, "morning")
    return journey_id

d2a = d2("PT15M")
where = f"e.company_id = '{company}' and e.journey_id = '{d2a}' and e.status = 'active' and e.step_id = 'morning' and e.due_at = e.step_started_at"
local = "(now() at time zone c.time_zone)"
floor = sql(("begin;\n" + f"""update enrollments e set due_at =
  ({local}::date + case when {local}::time >= time '09:00' then 1 else 0 end + time '09:00') at time zone c.time_zone
  from contacts c where {where} and c.company_id = e.company_id and c.id = e.contact_id;\n""" + "rollback;\n") * rounds, timed=True)
floor = sorted(floor[1::3])
sql("vacuum analyze enrollments;")
call("PATCH", f"/v1/journeys/{d2a}", token, {"state": "on"})
pattern = r"scheduled (\d+) enrollments of journey (\S+) at morning over (\d+) zones and entry times in (\d+) ms"
line = wait_for(pattern, d2a, "D2")[0]
assert int(line.group(1)) == size, line.group(0)
runner_ms, floor_ms = int(line.group(4)), floor[len(floor) // 2]
rows.append(("D2", f"{size:,} enrollments over 400 zones entering a wait_until 09:00 (spread PT15M)",
             f"{runner_ms:,} ms ({line.group(3)} zones and entry times; read, computed, one UPDATE)",
             f"one UPDATE with AT TIME ZONE in psql: {floor_ms:,.0f} ms (median of {len(floor)})", f"{runner_ms / floor_ms:.2f}", "at most 2"))
d2b = d2(None)
call("PATCH", f"/v1/journeys/{d2b}", token, {"state": "on"})
wait_for(pattern, d2b, "D2 without spread")
busiest = "select coalesce(max(n), 0) from (select count(*) n from enrollments where company_id = '{c}' and journey_id = '{j}' group by date_trunc('second', due_at)) s"
with_spread = int(scalar(busiest.format(c=company, j=d2a)))
without = int(scalar(busiest.format(c=company, j=d2b)))
rows.append(("D2", "due in the busiest second", f"{with_spread:,} with spread PT15M", f"{without:,} without a spread", "", ""))

print("| | What | Service | Floor | Ratio | Target |")
print("|---|---|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
