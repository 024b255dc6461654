"""The step runner's benchmark (bench/runner.sh): `main` seeds and measures R1, R2 and R3's lag and
S3 with the runner on; `off` measures S3 again on a service started with the runner off, and
prints the table."""
import json, os, re, subprocess, sys, threading, time, urllib.request

phase, port, rport, admin, db, size, rounds, duration, work, batch, lib = sys.argv[1:12]
connections = batch  # the runner's calls in flight at once: the floor and wrk get as many connections
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

TICK = os.sysconf("SC_CLK_TCK")

def cpu_seconds(pid):
    """User and system CPU a process has used so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK

def postgres_seconds():
    """The same summed over the server's processes, with what its exited ones used (the postmaster's
    reaped children: backends, autovacuum workers)."""
    total = 0.0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if comm.read().strip() != "postgres":
                    continue
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
            if int(fields[1]) == 1 or not os.path.exists(f"/proc/{fields[1]}/comm") \
                    or open(f"/proc/{fields[1]}/comm").read().strip() != "postgres":
                total += (int(fields[13]) + int(fields[14])) / TICK  # the postmaster: its reaped children
        except OSError:
            pass
    return total

def cpu_now():
    return {"service": cpu_seconds(os.environ["BENCH_SERVICE_PID"]), "receiver": cpu_seconds(os.environ["BENCH_RECEIVER_PID"]),
            "postgres": postgres_seconds()}

def cpu_per_call(before, after, calls):
    """Microseconds of CPU per call, by process, between two cpu_now()."""
    return {key: (after[key] - before[key]) * 1e6 / calls for key in before}

def log_lines(pattern):
    with open(f"{work}/service.log") as log:
        return [m for m in (re.search(pattern, line) for line in log) if m]


def s3(label, token):
    """S3: the whole list enrolled into a fresh journey in one request; the median of `rounds`, in ms."""
    times = []
    for i in range(rounds):
        made = call("POST", "/v1/journeys", token, {"name": f"S3 {label} {i}"})
        call("PATCH", f"/v1/journeys/{made['id']}", token, {"state": "on"})
        start = time.monotonic()
        call("POST", f"/v1/journeys/{made['id']}/enroll", token, {"list_email_addresses": ["everyone@r.example.com"]})
        times.append((time.monotonic() - start) * 1000)
    return sorted(times)[len(times) // 2]


if phase == "main":
    company = call("POST", "/admin/v1/companies", admin, {"name": "R"})["id"]
    token = call("POST", f"/admin/v1/companies/{company}/api_keys", admin, {"name": "r"})["token"]
    list_id = call("POST", "/v1/lists", token, {"name": "everyone", "email_address": "everyone@r.example.com"})["id"]
    sql(f"""insert into contacts (company_id, id, email_address, first_name, status, created_at, updated_at)
    select '{company}', gen_random_uuid(), 'u' || n || '@bench.example.com', 'User', 'active', now(), now() from generate_series(0, {size} - 1) n;
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
    # a fresh JVM compiles for its first tens of thousands of calls (in a profile of a cold R1, half
    # the service's CPU was the JIT compiler): one warm-up journey is run through first, not counted,
    # as the floor calls for its warm-up seconds before it counts
    warm, _ = journey("R1 warm-up", [{"type": "webhook", "url": f"http://127.0.0.1:{rport}/hook"}])
    call("PATCH", f"/v1/journeys/{warm}", token, {"state": "on"})
    call("POST", f"/v1/journeys/{warm}/enroll", token, {"list_email_addresses": ["everyone@r.example.com"]})
    while completed(warm) < size:
        time.sleep(0.2)
    call("PATCH", f"/v1/journeys/{warm}", token, {"state": "off"})
    sql("vacuum analyze enrollments; vacuum analyze enrollment_events;")
    hook, _ = journey("R1", [{"type": "webhook", "url": f"http://127.0.0.1:{rport}/hook"}])
    receiver("/reset", "POST")
    call("PATCH", f"/v1/journeys/{hook}", token, {"state": "on"})
    start = time.monotonic()
    call("POST", f"/v1/journeys/{hook}/enroll", token, {"list_email_addresses": ["everyone@r.example.com"]})
    cpu_start, count_start = cpu_now(), receiver("/stats")["count"]  # the calls' CPU, not the enroll's
    # polled at the receiver, so that no psql backend of this script is counted in the server's CPU
    while receiver("/stats")["count"] < size:
        time.sleep(0.2)
        if time.monotonic() - start > 1800:
            sys.exit("R1: not called within 30 minutes")
    while completed(hook) < size:
        time.sleep(0.05)
    all_done = time.monotonic() - start
    runner_cpu = cpu_per_call(cpu_start, cpu_now(), size - count_start)
    stats = receiver("/stats")
    assert stats["count"] >= size, stats
    span = (stats["last_ns"] - stats["first_ns"]) / 1e9
    service_rate = stats["count"] / span
    # the body the runner sends (WebhookDeliveries.payload), the same size for the floor and wrk
    sample = json.dumps({"type": "journey.step.webhook", "timestamp": "2026-11-29T00:00:00.000000Z", "data": {
        "journey": {"id": hook, "name": "R1"}, "step": {"id": "step_0123456789abcdef", "type": "webhook", "position": 1},
        "enrollment": {"id": "01a2253f-2b89-759a-99cb-178738f0e67f", "enrolled_at": "2026-11-29T00:00:00.000000Z"},
        "contact": {"id": "01a2253f-2b75-7a8c-99df-6b7d267dc45d", "email_address": "u12345@bench.example.com",
                    "first_name": "User", "last_name": None, "attributes": {}, "time_zone": None}, "attempt": 1}},
        separators=(",", ":"))
    with open(f"{work}/body.json", "w") as body:
        body.write(sample)
    floor_start, floor_count = cpu_now(), receiver("/stats")["count"]
    floor = subprocess.run(["java", "-cp", f"{work}/floor/*", f"{lib}/WebhookFloor.java", f"http://127.0.0.1:{rport}/hook",
                            connections, str(duration), "2", f"{work}/body.json"], capture_output=True, text=True, check=True).stdout
    floor_cpu = cpu_per_call(floor_start, cpu_now(), receiver("/stats")["count"] - floor_count)  # the receiver's
    print(f"R1 service: {service_rate:,.0f} calls/s", file=sys.stderr)
    floor = json.loads(floor.strip().splitlines()[-1])
    assert floor["failed"] == 0, floor
    floor_cpu["client"] = floor["cpu_seconds"] * 1e6 / floor["calls"]
    floor_rate = floor["per_second"]
    with open(f"{work}/post.lua", "w") as script:
        script.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json; charset=UTF-8"\n'
                     'wrk.headers["webhook-id"] = "msg_01a2253f2b89759a99cb178738f0e67f_step_0123456789abcdef"\n'
                     'wrk.headers["webhook-timestamp"] = "1780304460"\n'
                     'wrk.headers["webhook-signature"] = "v1,0x+Es5xvoQzdc/9L54JxlugHuR1b9T6WykKaVjfUiLs="\n'
                     f'wrk.body = {json.dumps(sample)}\n')
    wrk = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", f"{work}/post.lua", f"http://127.0.0.1:{rport}/hook"],
                         capture_output=True, text=True, check=True).stdout
    wrk_rate = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
    service = f"{service_rate:,.0f} calls/s ({span:.1f} s of calls, all completed {all_done:.1f} s after the enroll)"
    rows.append(("R1", f"{size:,} webhook calls, batch {batch}", service,
                 f"Java floor (Apache HttpClient 5, {connections} connections, signed, {len(sample.encode())}-byte body): {floor_rate:,.0f} POST/s",
                 f"{service_rate / floor_rate:.2f}", "at least 0.80"))
    # what a call costs in CPU, by process: on a machine the floor already fills, the runner's rate can
    # be at most the floor's times the floor's CPU per call over the runner's (its database included)
    runner_total = runner_cpu["service"] + runner_cpu["postgres"] + runner_cpu["receiver"]
    floor_total = floor_cpu["client"] + floor_cpu["receiver"]
    rows.append(("R1 (CPU per call)", "user and system CPU over the calls, from /proc, by process",
                 f"{runner_total:,.0f} µs: service {runner_cpu['service']:,.0f}, PostgreSQL {runner_cpu['postgres']:,.0f}, receiver {runner_cpu['receiver']:,.0f}",
                 f"{floor_total:,.0f} µs: client {floor_cpu['client']:,.0f} (over its counted seconds), receiver {floor_cpu['receiver']:,.0f}",
                 f"{floor_total / runner_total:.2f}", "the most R1 can reach with the CPUs full"))
    rows.append(("R1 (reference)", "the same receiver under wrk", service,
                 f"wrk, {connections} connections: {wrk_rate:,.0f} POST/s (the Java floor is {floor_rate / wrk_rate:.2f} of it)",
                 f"{service_rate / wrk_rate:.2f}", ""))

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
    floor = sorted(floor[1::3])  # begin, update, rollback: the updates
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




    # R3 ------------------------------------------------------------------------------------------
    lagging, _ = journey("R3", [{"type": "wait", "duration": "PT1S"}])
    call("PATCH", f"/v1/journeys/{lagging}", token, {"state": "on"})
    samples, sampling = [], [True]
    def sample():
        while sampling[0]:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=10) as answer:
                m = re.search(r"^journeys_runner_lag_seconds\S* ([\d.eE+-]+)$", answer.read().decode(), re.M)
                if m:
                    samples.append(float(m.group(1)))
            time.sleep(0.25)
    sampler = threading.Thread(target=sample)
    sampler.start()
    env = dict(os.environ, BENCH_TOKEN=token, BENCH_JOURNEYS=lagging, BENCH_CONTACTS=str(size))
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{duration}s", "--timeout", "10s", "-s", f"{lib}/enroll.lua",
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, env=env, check=True).stdout
    time.sleep(2)
    sampling[0] = False
    sampler.join()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    moved = scalar(f"select count(*) from enrollments where company_id = '{company}' and journey_id = '{lagging}' and status = 'completed'")
    rows.append(("R3", f"runner lag while wrk enrolls one contact per request (16 connections, {duration} s) into a journey [wait 1 s]",
                 f"lag p99 {p99 * 1000:,.0f} ms, max {samples[-1] * 1000:,.0f} ms ({len(samples)} samples of journeys_runner_lag_seconds; {rate:,.0f} enrolls/s, {moved:,} completed)",
                 "", "", "p99 under 1 s"))
    s3_on = s3("on", token)
    with open(f"{work}/rows.json", "w") as saved:
        json.dump({"rows": rows, "s3_on": s3_on, "company": company, "token": token}, saved)
else:
    saved = json.load(open(f"{work}/rows.json"))
    rows, token, company = saved["rows"], saved["token"], saved["company"]



    s3("warm-up", token)  # a fresh JVM: one round first, not counted (the "on" side ran warm after R1-R3)
    s3_off = s3("off", token)
    rows.append(("R3", f"S3: the {size:,}-member list enrolled, runner on (idle) and off, median of {rounds}",
                 f"on: {saved['s3_on']:,.0f} ms", f"off: {s3_off:,.0f} ms", f"{saved['s3_on'] / s3_off:.2f}", "at most 1.15"))
    print("| | scenario | service | floor | ratio | target |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
