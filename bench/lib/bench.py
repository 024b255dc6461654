#!/usr/bin/env python3
"""Helpers of bench/run.sh: seeding through the public API, timed HTTP requests, the floor's SQL,
parsing wrk / psql / pgbench output, percentiles and the report. Standard library only.

Every subcommand reads the work directory from BENCH_WORK; the seeded ids live in
$BENCH_WORK/state.json and every measurement is merged into $BENCH_WORK/results.json.
"""

import argparse
import concurrent.futures
import glob
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

WORK = os.environ.get("BENCH_WORK", ".")
STATE = os.path.join(WORK, "state.json")
RESULTS = os.path.join(WORK, "results.json")
EMAIL_DOMAIN = "bench.example.com"

# Floor journeys are created directly in SQL with ids 00000000-0000-4000-8000-<12 digits>; each group
# of them starts at its own base number.
FLOOR_BASES = {
    "warm_s1": 0, "s1": 10000, "s5_small": 20000, "s2": 30000, "warm_s2": 40000,
    "s3": 50000, "warm_s3": 60000, "s5_big": 70000, "peer_s1": 80000, "warm_peer_s1": 90000,
}

# The lean floor's journeys are plain numbers: the floor number of the service group it mirrors.
LEAN_GROUPS = {"lean_warm_s2": "warm_s2", "lean_s2": "s2", "lean_warm_s4": "warm_s2", "lean_s4": "s2",
               "lean_warm_s3": "warm_s3", "lean_s3": "s3"}


def email(n):
    return f"u{n}@{EMAIL_DOMAIN}"


def list_email(i):
    return f"list{i}@{EMAIL_DOMAIN}"


def floor_journey(n):
    return f"00000000-0000-4000-8000-{n:012d}"


def env_int(name):
    return int(os.environ[name])


def load(path, default=None):
    if not os.path.exists(path):
        return {} if default is None else default
    with open(path) as f:
        return json.load(f)


def save(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1)
    os.replace(tmp, path)


def record(key, value, append=False):
    """Stores value under key in the results file, or appends it to the list there."""
    results = load(RESULTS)
    if append:
        results.setdefault(key, []).append(value)
    else:
        results[key] = value
    save(RESULTS, results)


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


class Client:
    """One keep-alive HTTP connection; bodies are serialized before the clock starts."""

    def __init__(self, base, token):
        url = urllib.parse.urlparse(base)
        self.host, self.port, self.token = url.hostname, url.port, token
        self.conn = None

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=900)
        self.conn.connect()

    def call(self, method, path, body=None):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body, separators=(",", ":")).encode()
        headers = {"Authorization": f"Bearer {self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                elapsed = time.perf_counter() - t0
                break
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        parsed = json.loads(raw) if raw else None
        return response.status, parsed, elapsed

    def ok(self, method, path, body=None, expect=(200, 201)):
        status, parsed, _ = self.call(method, path, body)
        if status not in expect:
            raise SystemExit(f"{method} {path} answered {status}: {json.dumps(parsed)[:500]}")
        return parsed


def base_url():
    return f"http://127.0.0.1:{os.environ['BENCH_SERVICE_PORT']}"


# ---------------------------------------------------------------------------------------------- seed

def journey_groups():
    pool = env_int("BENCH_S1_JOURNEYS")
    groups = {
        "warm_s1": pool, "s1": pool,
        "warm_s2": env_int("BENCH_S2_WARMUP"), "s2": env_int("BENCH_S2_REQUESTS"),
        "warm_s3": 1, "s3": env_int("BENCH_S3_REPEAT"), "s5_big": env_int("BENCH_S5_REPEAT"),
    }
    for r in range(env_int("BENCH_S5_REPEAT")):
        groups[f"s5_small_{r}"] = pool
    return groups


def cmd_seed(args):
    contacts, lists, list_size = env_int("BENCH_CONTACTS"), env_int("BENCH_LISTS"), env_int("BENCH_LIST_SIZE")
    chunk, s2_size = env_int("BENCH_BULK_SIZE"), env_int("BENCH_S2_SIZE")
    if lists * list_size > contacts:
        raise SystemExit("BENCH_LISTS * BENCH_LIST_SIZE must not exceed BENCH_CONTACTS")
    if s2_size > min(contacts, 1000):
        raise SystemExit("BENCH_S2_SIZE must be at most 1000 and at most BENCH_CONTACTS")
    admin = Client(base_url(), os.environ["BENCH_ADMIN_TOKEN"])
    company = admin.ok("POST", "/admin/v1/companies", {"name": "Bench"})["id"]
    token = admin.ok("POST", f"/admin/v1/companies/{company}/api_keys", {"name": "bench"})["token"]
    api = Client(base_url(), token)

    t0 = time.perf_counter()
    for start in range(0, contacts, chunk):
        batch = [{"email_address": email(n)} for n in range(start, min(start + chunk, contacts))]
        answer = api.ok("POST", "/v1/contacts/bulk", {"contacts": batch})
        if answer["created"] != len(batch):
            raise SystemExit(f"contacts bulk created {answer} of {len(batch)}")
        done = start + len(batch)
        if done == contacts or (done // chunk) % 10 == 0:
            rate = done / (time.perf_counter() - t0)
            log(f"contacts {done:,}/{contacts:,} ({rate:,.0f}/s)")
    contacts_seconds = time.perf_counter() - t0

    # List i holds contacts (i * list_size + k) * stride: disjoint lists spread over the whole table.
    stride = max(1, contacts // (lists * list_size))
    t1 = time.perf_counter()
    list_ids = []
    for i in range(lists):
        list_id = api.ok("POST", "/v1/lists", {"name": f"Bench list {i}", "email_address": list_email(i)})["id"]
        members = [email((i * list_size + k) * stride) for k in range(list_size)]
        for start in range(0, len(members), 10000):
            part = members[start:start + 10000]
            answer = api.ok("POST", f"/v1/lists/{list_id}/members", {"contact_email_addresses": part})
            if answer["added_count"] != len(part):
                raise SystemExit(f"list members added {answer['added_count']} of {len(part)}")
        list_ids.append(list_id)
    log(f"lists {lists} x {list_size:,} members")
    lists_seconds = time.perf_counter() - t1

    t2 = time.perf_counter()
    names = [(group, i) for group, count in journey_groups().items() for i in range(count)]
    local = threading.local()

    def create(name):
        if not hasattr(local, "api"):
            local.api = Client(base_url(), token)
        journey = local.api.ok("POST", "/v1/journeys", {"name": f"bench {name[0]} {name[1]}"})["id"]
        local.api.ok("PATCH", f"/v1/journeys/{journey}", {"state": "on"}, expect=(200,))
        return journey

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        created = list(pool.map(create, names))
    journeys = {}
    for (group, _), journey in zip(names, created):
        journeys.setdefault(group, []).append(journey)
    log(f"journeys {sum(len(v) for v in journeys.values())} in state on")

    rng = random.Random(env_int("BENCH_SEED"))
    bodies = {
        "warm_s2": [rng.sample(range(contacts), s2_size) for _ in range(env_int("BENCH_S2_WARMUP"))],
        "s2": [rng.sample(range(contacts), s2_size) for _ in range(env_int("BENCH_S2_REQUESTS"))],
    }
    save(STATE, {
        "company": company, "token": token, "contacts": contacts, "lists": lists, "list_size": list_size,
        "list_ids": list_ids, "list_emails": [list_email(i) for i in range(lists)], "journeys": journeys,
        "s2_bodies": bodies,
        "floor_groups": {**{g: len(v) for g, v in journeys.items()},
                         "peer_s1": env_int("BENCH_S1_JOURNEYS"), "warm_peer_s1": env_int("BENCH_S1_JOURNEYS")},
    })
    record("seed", {"contacts_seconds": contacts_seconds, "lists_seconds": lists_seconds,
                    "journeys_seconds": time.perf_counter() - t2,
                    "contacts_per_second": contacts / contacts_seconds})


def cmd_get(args):
    """Prints a value of state.json: a dotted path; lists are joined with commas."""
    value = load(STATE)
    for part in args.path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    print(",".join(map(str, value)) if isinstance(value, list) else value)


def cmd_result(args):
    value = load(RESULTS)
    for part in args.path.split("."):
        value = value[part]
    print(value)


# ------------------------------------------------------------------------------- S2 / S4 (sequential)

def cmd_s2(args):
    """S2 (fresh journeys), S4 (the S2 bodies again into the same journeys) or their warm-up."""
    state = load(STATE)
    group = "warm_s2" if args.phase.startswith("warm") else "s2"
    resend = args.phase in ("s4", "warm_s4")
    api = Client(base_url(), state["token"])
    latencies, enrolled, problems = [], 0, []
    for journey, numbers in zip(state["journeys"][group], state["s2_bodies"][group]):
        body = json.dumps({"contact_email_addresses": [email(n) for n in numbers]}, separators=(",", ":")).encode()
        status, answer, seconds = api.call("POST", f"/v1/journeys/{journey}/enroll", body)
        if status != 200:
            raise SystemExit(f"{args.phase}: enroll answered {status}: {json.dumps(answer)[:300]}")
        expected = 0 if resend else len(numbers)
        if answer["enrolled_count"] != expected or (resend and len(answer["not_enrolled"]["already_enrolled"]) != len(numbers)):
            problems.append(f"{args.phase}: enrolled {answer['enrolled_count']}, expected {expected}")
        latencies.append(seconds * 1000)
        enrolled += answer["enrolled_count"]
    for p in problems:
        log("WARNING " + p)
    record(args.phase, {"latencies_ms": latencies, "enrolled": enrolled, "problems": problems})
    log(f"{args.phase}: {len(latencies)} requests, p50 {percentile(latencies, 50):.1f} ms, "
        f"p99 {percentile(latencies, 99):.1f} ms")


# ------------------------------------------------------------------------------- S3 (+ RSS sampling)

def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cmd_s3(args):
    """One S3 request (all lists) into journey args.group[args.index], sampling VmRSS every 50 ms."""
    state = load(STATE)
    api = Client(base_url(), state["token"])
    journey = state["journeys"][args.group][args.index]
    body = json.dumps({"list_email_addresses": state["list_emails"]}).encode()
    samples, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            value = rss_kib(args.pid)
            if value is not None:
                samples.append(value)
            stop.wait(0.05)

    before = rss_kib(args.pid)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start_epoch = time.time()
    status, answer, seconds = api.call("POST", f"/v1/journeys/{journey}/enroll", body)
    end_epoch = time.time()
    stop.set()
    sampler.join()
    if status != 200:
        raise SystemExit(f"S3 enroll answered {status}: {json.dumps(answer)[:300]}")
    expected = state["lists"] * state["list_size"]
    problem = None if answer["enrolled_count"] == expected else \
        f"S3 enrolled {answer['enrolled_count']}, expected {expected}"
    if problem:
        log("WARNING " + problem)
    record(args.key, {"latency_ms": seconds * 1000, "enrolled": answer["enrolled_count"],
                      "rss_before_kib": before, "peak_rss_kib": max(samples) if samples else before,
                      "rss_samples": len(samples), "start_epoch": start_epoch, "end_epoch": end_epoch,
                      "problem": problem}, append=True)
    log(f"{args.key}: {seconds * 1000:.0f} ms, {answer['enrolled_count']:,} enrolled, "
        f"peak RSS {max(samples or [0]) / 1024:.0f} MiB")


# ------------------------------------------------------------------------------------- CPU sampler

def proc_table():
    """pid -> (ppid, cpu ticks, executable path) of every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            try:
                exe = os.readlink(f"/proc/{entry}/exe")
            except OSError:
                exe = ""
            table[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]), exe)
        except (OSError, ValueError, IndexError):
            continue
    return table


def cmd_sampler(args):
    """Every 5 s, writes `epoch ours server others` to stdout: the share of the machine's CPU capacity
    used by this run's processes (descendants of --root), by the PostgreSQL server, and by everything
    else. `others` is the interference the report warns about."""
    hz, cpus = os.sysconf("SC_CLK_TCK"), os.cpu_count()
    previous, last = proc_table(), time.time()
    while True:
        time.sleep(5)
        current, now = proc_table(), time.time()
        ours_pids, changed = {args.root}, True
        while changed:
            changed = False
            for pid, (ppid, _, _) in current.items():
                if ppid in ours_pids and pid not in ours_pids:
                    ours_pids.add(pid)
                    changed = True
        shares = {"ours": 0, "server": 0, "others": 0}
        for pid, (_, ticks, exe) in current.items():
            delta = ticks - previous[pid][1] if pid in previous else ticks
            if delta <= 0 or pid == os.getpid():
                continue
            kind = "ours" if pid in ours_pids else "server" if exe.startswith(args.server_prefix) else "others"
            shares[kind] += delta
        capacity = (now - last) * hz * cpus
        print(f"{now:.0f} {shares['ours'] / capacity:.3f} {shares['server'] / capacity:.3f} "
              f"{shares['others'] / capacity:.3f}", flush=True)
        previous, last = current, now


# ------------------------------------------------------------------------------------------------ wrk

def cmd_wrk(args):
    """Records the BENCH_JSON line of a wrk run, with the enrollments counted in its journeys."""
    with open(args.output) as f:
        text = f.read()
    match = re.search(r"^BENCH_JSON (\{.*\})$", text, re.M)
    if not match:
        raise SystemExit(f"no BENCH_JSON line in wrk output:\n{text}")
    data = json.loads(match.group(1))
    data["enrolled"] = args.enrolled
    seconds = data["duration_us"] / 1e6
    data["requests_per_second"] = data["requests"] / seconds
    data["enrollments_per_second"] = args.enrolled / seconds
    data["errors"] = sum(data[k] for k in data if k.startswith("errors_"))
    record(args.key, data, append=args.append)
    log(f"{args.key}: {data['requests_per_second']:,.0f} req/s, p50 {data['lat_p50_us'] / 1000:.1f} ms, "
        f"p99 {data['lat_p99_us'] / 1000:.1f} ms, {data['enrollments_per_second']:,.0f} enrollments/s, "
        f"{data['errors']} errors")


def cmd_count_sql(args):
    """SQL counting the enrollments of a service group (by id) or a floor group (by number range)."""
    state = load(STATE)
    if args.floor:
        base, count = floor_group_base(args.group), state["floor_groups"][args.group]
        ids = [floor_journey(base + i + 1) for i in range(count)]
    else:
        ids = state["journeys"][args.group]
    print(f"select count(*) from enrollments where company_id = '{state['company']}' "
          f"and journey_id = any('{{{','.join(ids)}}}'::uuid[])")


# ---------------------------------------------------------------------------------------------- floor

def floor_group_base(group):
    return FLOOR_BASES["s5_small"] + 1000 * int(group.rsplit("_", 1)[1]) if group.startswith("s5_small_") \
        else FLOOR_BASES[group]


def cmd_floor_base(args):
    print(floor_group_base(args.group))


def cmd_floor_journeys(args):
    """Prints the ids of a floor group's journeys, comma-separated (the bare peer's S1 pool)."""
    base, count = floor_group_base(args.group), load(STATE)["floor_groups"][args.group]
    print(",".join(floor_journey(base + i + 1) for i in range(count)))


def lean_setup_sql(company):
    """The lean floor: the same company's contacts, lists and members in the cheapest schema that
    keeps the enroll rules (bigint keys, one enrollments table, the partial unique index on active
    rows, the re-entry lookup on completed ones), in a schema of its own."""
    return f"""drop schema if exists lean cascade;
create schema lean;
create temp table contact_ids as select row_number() over (order by id) as n, id from contacts where company_id = '{company}';
create temp table list_ids as select row_number() over (order by id) as n, id from lists where company_id = '{company}';
create table lean.contacts (id bigint primary key, email_address text not null, status text not null);
insert into lean.contacts select t.n, c.email_address, c.status
  from contact_ids t join contacts c on c.company_id = '{company}' and c.id = t.id order by t.n;
create unique index on lean.contacts (email_address);
create table lean.lists (id bigint primary key, email_address text not null);
insert into lean.lists select t.n, l.email_address from list_ids t join lists l on l.company_id = '{company}' and l.id = t.id;
create index on lean.lists (email_address);
create table lean.list_members (list_id bigint not null, contact_id bigint not null, primary key (list_id, contact_id));
insert into lean.list_members select li.n, ci.n from list_members m
  join list_ids li on li.id = m.list_id join contact_ids ci on ci.id = m.contact_id
  where m.company_id = '{company}' order by 1, 2;
create table lean.enrollments (journey_id bigint not null, contact_id bigint not null, status text not null,
  enrolled_at timestamptz not null, completed_at timestamptz);
create unique index on lean.enrollments (journey_id, contact_id) where status = 'active';
create index on lean.enrollments (journey_id, contact_id, completed_at) where status = 'completed';
vacuum analyze lean.contacts;
vacuum analyze lean.lists;
vacuum analyze lean.list_members;"""


def lean_insert_sql(journey, source, where):
    """One enroll into the lean floor: insert the candidates, skip recent completions (12 hours) and,
    through the arbiter, active enrollments."""
    return ("insert into lean.enrollments (journey_id, contact_id, status, enrolled_at)\n"
            f"select {journey}, c.id, 'active', now()\n{source}\n"
            f"where {where} and c.status = 'active'\n"
            f"  and not exists (select 1 from lean.enrollments e where e.journey_id = {journey} and e.contact_id = c.id\n"
            "    and e.status = 'completed' and e.completed_at > now() - interval '12 hours')\n"
            "order by c.id\n"
            "on conflict (journey_id, contact_id) where status = 'active' do nothing;")


def row_id(company, order):
    """The ids the service gives the rows of one statement (IdBlock: UUIDv7 of the statement's
    millisecond, then a random base plus the row's number), as constants and row_number(), the
    window partitioned by the company (one partition here) as the service's routed statement does:
    Citus pushes a window down to the company's shard only then."""
    prefix = "%012x7%03x" % (int(time.time() * 1000), random.getrandbits(12))
    base = -(1 << 63) | random.getrandbits(61)
    return (f"cast('{prefix}' || to_hex({base}::bigint + row_number() over (partition by {company} order by {order}))"
            " as uuid)")


# Marks the floor's statements, so that the plan types auto_explain logs on a Citus coordinator can be
# told apart from the service's.
FLOOR_TAG = "/* bench floor */ "


def cmd_floor_sql(args):
    """Writes the psql script of a floor step to stdout. Rows go in in contact-id order (as the
    service's statement, whose DISTINCT ON sorts by id, does): inserting the index entries in key order
    is measurably cheaper than in hash-join order, and the floor must be the best raw PostgreSQL can do."""
    state = load(STATE)
    company = state["company"]
    out = []
    if args.kind == "journeys":
        out.append("insert into journeys (company_id, id, name, state, created_at, updated_at) values")
        rows = []
        for group, count in state["floor_groups"].items():
            for i in range(count):
                n = floor_group_base(group) + i + 1
                rows.append(f"('{company}', '{floor_journey(n)}', 'floor {group} {i}', 'on', now(), now())")
        out.append(",\n".join(rows) + ";")
        print("\n".join(out))
        return
    if args.kind == "lean-setup":
        print(lean_setup_sql(company))
        return
    out.append("\\timing on")
    if args.kind in LEAN_GROUPS:
        group = LEAN_GROUPS[args.kind]
        if group in ("s2", "warm_s2"):
            for i, numbers in enumerate(state["s2_bodies"][group]):
                emails = ",".join(email(n) for n in numbers)
                out.append(lean_insert_sql(FLOOR_BASES[group] + i + 1, "from lean.contacts c",
                                           f"c.email_address = any('{{{emails}}}'::text[])"))
        else:
            emails = ",".join(state["list_emails"])
            out.append(lean_insert_sql(
                FLOOR_BASES[group] + args.index + 1,
                "from lean.lists l join lean.list_members m on m.list_id = l.id join lean.contacts c on c.id = m.contact_id",
                f"l.email_address = any('{{{emails}}}'::text[])"))
    elif args.kind in ("s2", "s4", "warm_s2", "warm_s4"):
        group = "warm_s2" if args.kind.startswith("warm") else "s2"
        for i, numbers in enumerate(state["s2_bodies"][group]):
            emails = ",".join(email(n) for n in numbers)
            out.append(
                FLOOR_TAG + "insert into enrollments (company_id, id, journey_id, contact_id, status, source, enrolled_at)\n"
                f"select c.company_id, {row_id('c.company_id', 'c.id')}, '{floor_journey(FLOOR_BASES[group] + i + 1)}', c.id, "
                "'active', 'contact', now()\n"
                f"from contacts c where c.company_id = '{company}' and c.email_address = any('{{{emails}}}'::text[])\n"
                "  and c.status = 'active'\n"
                "order by c.id\n"
                "on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing;")
    else:  # s3, warm_s3, s5_big: one statement into journey number args.index of the group
        emails = ",".join(state["list_emails"])
        out.append(
            FLOOR_TAG + "insert into enrollments (company_id, id, journey_id, contact_id, status, source, list_id, enrolled_at)\n"
            f"select l.company_id, {row_id('l.company_id', 'm.contact_id')}, '{floor_journey(FLOOR_BASES[args.kind] + args.index + 1)}', "
            "m.contact_id, 'active', 'list', m.list_id, now()\n"
            "from lists l\n"
            "join list_members m on m.company_id = l.company_id and m.list_id = l.id\n"
            "join contacts c on c.company_id = m.company_id and c.id = m.contact_id and c.status = 'active'\n"
            f"where l.company_id = '{company}' and l.email_address = any('{{{emails}}}'::text[])\n"
            "order by m.contact_id\n"
            "on conflict (company_id, journey_id, contact_id) where status = 'active' do nothing;")
    print("\n".join(out))


def cmd_psql(args):
    """Records the `Time:` lines and `INSERT 0 n` counts of a psql run of a floor script."""
    with open(args.output) as f:
        text = f.read()
    times = [float(t) for t in re.findall(r"^Time: ([0-9.]+) ms", text, re.M)]
    inserted = [int(n) for n in re.findall(r"^INSERT 0 (\d+)", text, re.M)]
    if not times or len(times) != len(inserted):
        raise SystemExit(f"unexpected psql output:\n{text[:2000]}")
    entry = {"latencies_ms": times, "inserted": inserted}
    if args.start_epoch:
        entry.update(start_epoch=args.start_epoch, end_epoch=args.end_epoch)
    record(args.key, entry, append=args.append)
    log(f"{args.key}: {len(times)} statements, p50 {percentile(times, 50):.1f} ms, "
        f"p99 {percentile(times, 99):.1f} ms, inserted {sum(inserted):,}")


def cmd_pgbench(args):
    """Records a pgbench run: tps from its summary, latency percentiles from its per-transaction log."""
    with open(args.output) as f:
        text = f.read()
    tps = re.search(r"^tps = ([0-9.]+)", text, re.M)
    processed = re.search(r"number of transactions actually processed: (\d+)", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    if not tps or not processed:
        raise SystemExit(f"unexpected pgbench output:\n{text[:2000]}")
    latencies, overlap = [], []
    window = (args.start_epoch, args.end_epoch) if args.start_epoch else None
    for path in glob.glob(args.log_prefix + ".*"):
        with open(path) as f:
            for line in f:
                fields = line.split()
                lat_us = int(fields[2])
                end = int(fields[4]) + int(fields[5]) / 1e6
                latencies.append(lat_us / 1000)
                if window and end - lat_us / 1e6 < window[1] and end > window[0]:
                    overlap.append(lat_us / 1000)
    entry = {"tps": float(tps.group(1)), "transactions": int(processed.group(1)),
             "failed": int(failed.group(1)) if failed else 0, "enrolled": args.enrolled,
             "duration_s": args.duration, "enrollments_per_second": args.enrolled / args.duration,
             "lat_p50_ms": percentile(latencies, 50), "lat_p99_ms": percentile(latencies, 99),
             "lat_max_ms": max(latencies) if latencies else None}
    if window:
        entry.update(window_transactions=len(overlap), window_p50_ms=percentile(overlap, 50),
                     window_p99_ms=percentile(overlap, 99))
    record(args.key, entry, append=args.append)
    log(f"{args.key}: {entry['tps']:,.0f} tps, p50 {entry['lat_p50_ms']:.1f} ms, p99 {entry['lat_p99_ms']:.1f} ms"
        + (f", p99 during the S3 statement {entry['window_p99_ms'] or 0:.1f} ms ({len(overlap)} txns)" if window else ""))


# --------------------------------------------------------------------------------------------- report

def fmt_ms(v):
    if v is None:
        return "—"
    return f"{v / 1000:.2f} s" if v >= 10000 else f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"


def fmt_ratio(a, b):
    return "—" if not a or not b else f"{a / b:.2f}"


def median(values):
    return percentile(values, 50)


def cmd_report(args):
    r, state = load(RESULTS), load(STATE)
    machine = open(args.machine).read().strip() if args.machine else ""
    rows, targets, problems, problems_noise = [], [], [], []

    s1, f1, p1 = r.get("s1"), r.get("floor_s1"), r.get("peer_s1")
    if s1 and f1:
        peer = (f"peer {p1['requests_per_second']:,.0f} req/s (p99 {fmt_ms(p1['lat_p99_us'] / 1000)})", 
                fmt_ratio(s1["requests_per_second"], p1["requests_per_second"])) if p1 else ("—", "—")
        rows.append(["S1 1 email/request, 16 clients", f"{s1['requests_per_second']:,.0f} req/s", *peer,
                     f"{f1['tps']:,.0f} tps", fmt_ratio(s1["requests_per_second"], f1["tps"]),
                     fmt_ms(s1["lat_p50_us"] / 1000), fmt_ms(s1["lat_p99_us"] / 1000), "—",
                     f"{s1['enrollments_per_second']:,.0f}"])
        if p1:
            ok = (s1["requests_per_second"] >= 0.8 * p1["requests_per_second"]
                  and s1["lat_p99_us"] <= 2 * p1["lat_p99_us"])
            targets.append(["S1", "req/s ≥ 0.80 × peer req/s and p99 ≤ 2 × peer p99",
                            f"{s1['requests_per_second'] / p1['requests_per_second']:.2f} × peer, p99 "
                            f"{fmt_ms(s1['lat_p99_us'] / 1000)} vs limit {fmt_ms(2 * p1['lat_p99_us'] / 1000)}", ok])
            if p1["errors"]:
                problems.append(f"S1 peer: wrk counted {p1['errors']} errors")
        if s1["errors"]:
            problems.append(f"S1: wrk counted {s1['errors']} errors (non-2xx, timeouts or socket errors)")

    def sequential(name, key, floor_key, label, target_name):
        s, f, lean = r.get(key), r.get(floor_key), r.get("lean_" + key)
        if not (s and f):
            return
        sp50, sp99 = percentile(s["latencies_ms"], 50), percentile(s["latencies_ms"], 99)
        fp50, fp99 = percentile(f["latencies_ms"], 50), percentile(f["latencies_ms"], 99)
        lp50 = percentile(lean["latencies_ms"], 50) if lean else None
        rate = s["enrolled"] / (sum(s["latencies_ms"]) / 1000) if s["enrolled"] else 0
        rows.append([label, f"p50 {fmt_ms(sp50)}", f"lean p50 {fmt_ms(lp50)}", fmt_ratio(sp50, lp50),
                     f"p50 {fmt_ms(fp50)} (p99 {fmt_ms(fp99)})", fmt_ratio(sp50, fp50),
                     fmt_ms(sp50), fmt_ms(sp99), "—", f"{rate:,.0f}"])
        if target_name and lean:
            targets.append([target_name, "p50 ≤ 2.0 × lean floor p50 + 10 ms",
                            f"{fmt_ms(sp50)} vs limit {fmt_ms(2 * lp50 + 10)}", sp50 <= 2 * lp50 + 10])
        problems.extend(s.get("problems", []))

    size = state.get("s2_bodies", {}).get("s2", [[]])[0]
    sequential("S2", "s2", "floor_s2", f"S2 {len(size):,} emails/request, sequential", "S2")

    s3, f3, l3 = r.get("s3"), r.get("floor_s3"), r.get("lean_s3")
    peak = None
    if s3 and f3:
        sl = [run["latency_ms"] for run in s3]
        fl = [run["latencies_ms"][0] for run in f3]
        ll = [run["latencies_ms"][0] for run in l3] if l3 else None
        peak = max(run["peak_rss_kib"] for run in s3) / 1024
        enrolled = s3[0]["enrolled"]
        rows.append([f"S3 {state['lists']} lists × {state['list_size']:,} members ({enrolled:,} enrollments)",
                     f"median {fmt_ms(median(sl))}", f"lean median {fmt_ms(median(ll) if ll else None)}",
                     fmt_ratio(median(sl), median(ll) if ll else None),
                     f"median {fmt_ms(median(fl))}", fmt_ratio(median(sl), median(fl)),
                     fmt_ms(median(sl)), "—", f"{peak:.0f} MiB ({s3[0]['rss_before_kib'] / 1024:.0f} before)",
                     f"{enrolled / (median(sl) / 1000):,.0f}"])
        if ll:
            targets.append(["S3", "median ≤ 2.0 × lean floor median", f"{median(sl) / median(ll):.2f} × lean floor",
                            median(sl) <= 2 * median(ll)])
        targets.append(["S3 RSS", "peak RSS < 512 MiB", f"{peak:.0f} MiB", peak < 512])
        problems.extend(run["problem"] for run in s3 if run.get("problem"))

    sequential("S4", "s4", "floor_s4", f"S4 S2 again, all already enrolled", "S4 (as S2)")

    s5, f5 = r.get("s5"), r.get("floor_s5")
    if s5 and f5 and s1:
        p99s = [run["lat_p99_us"] / 1000 for run in s5]
        p50s = [run["lat_p50_us"] / 1000 for run in s5]
        fp99s = [run["lat_p99_ms"] for run in f5]
        rate = median([run["enrollments_per_second"] for run in s5])
        rows.append(["S5 S1 during one S3 request", f"p99 {fmt_ms(median(p99s))}", "—", "—", f"p99 {fmt_ms(median(fp99s))}",
                     fmt_ratio(median(p99s), median(fp99s)), fmt_ms(median(p50s)), fmt_ms(median(p99s)),
                     f"{max(run['peak_rss_kib'] for run in r.get('s5_big', [])) / 1024:.0f} MiB" if r.get("s5_big") else "—",
                     f"{rate:,.0f}"])
        limit = 3 * s1["lat_p99_us"] / 1000
        targets.append(["S5", "p99 ≤ 3 × S1 p99", f"{fmt_ms(median(p99s))} vs limit {fmt_ms(limit)}", median(p99s) <= limit])
        for run in s5:
            if run["errors"]:
                problems.append(f"S5: wrk counted {run['errors']} errors")

    header = ["Scenario", "Service", "Reference (S1: bare Spring peer; S2-S4: lean floor)", "Service/reference",
              "Floor (raw SQL, service's schema)", "Service/floor", "p50", "p99", "Peak RSS", "Enrollments/s"]
    lines = [f"| {' | '.join(header)} |", f"|{'|'.join('---' for _ in header)}|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    table = "\n".join(lines)
    tlines = ["| Target | Rule | Measured | Result |", "|---|---|---|---|"]
    tlines += [f"| {t[0]} | {t[1]} | {t[2]} | {'PASS' if t[3] else 'FAIL'} |" for t in targets]
    target_table = "\n".join(tlines)

    detail = []
    if s1 and f1:
        detail.append(f"- S1 service: {s1['requests']:,} requests in {s1['duration_us'] / 1e6:.1f} s, "
                      f"{s1['enrolled']:,} enrolled, p90 {fmt_ms(s1['lat_p90_us'] / 1000)}, max {fmt_ms(s1['lat_max_us'] / 1000)}, "
                      f"errors {s1['errors']}. Floor (pgbench): {f1['transactions']:,} transactions, "
                      f"p50 {fmt_ms(f1['lat_p50_ms'])}, p99 {fmt_ms(f1['lat_p99_ms'])}, {f1['enrollments_per_second']:,.0f} enrollments/s.")
    if s1 and p1:
        detail.append(f"- S1 bare Spring peer: {p1['requests']:,} requests, {p1['enrolled']:,} enrolled, "
                      f"p50 {fmt_ms(p1['lat_p50_us'] / 1000)}, p99 {fmt_ms(p1['lat_p99_us'] / 1000)}, errors {p1['errors']}.")
    for key, fkey, name in (("s2", "floor_s2", "S2"), ("s4", "floor_s4", "S4")):
        if r.get(key) and r.get(fkey):
            lean = r.get("lean_" + key)
            detail.append(f"- {name} service latencies (ms): {', '.join(f'{v:.0f}' for v in r[key]['latencies_ms'])}; "
                          f"floor: {', '.join(f'{v:.0f}' for v in r[fkey]['latencies_ms'])}"
                          + (f"; lean floor: {', '.join(f'{v:.0f}' for v in lean['latencies_ms'])}" if lean else ""))
    if s3 and f3:
        detail.append(f"- S3 service runs: {', '.join(fmt_ms(run['latency_ms']) for run in s3)} "
                      f"(RSS before {s3[0]['rss_before_kib'] / 1024:.0f} MiB, peaks "
                      f"{', '.join(str(round(run['peak_rss_kib'] / 1024)) for run in s3)} MiB); "
                      f"floor runs: {', '.join(fmt_ms(run['latencies_ms'][0]) for run in f3)}"
                      + (f"; lean floor runs: {', '.join(fmt_ms(run['latencies_ms'][0]) for run in l3)}" if l3 else ""))
    if s5 and f5:
        detail.append(f"- S5 service runs (wrk window / S3 request): " + "; ".join(
            f"{run['duration_us'] / 1e6:.0f} s / {fmt_ms(big['latency_ms'])}: p99 {fmt_ms(run['lat_p99_us'] / 1000)}, "
            f"{run['requests_per_second']:,.0f} req/s" for run, big in zip(s5, r.get("s5_big", []))))
        detail.append(f"- S5 floor runs (pgbench window / S3 statement): " + "; ".join(
            f"{run['duration_s']} s / {fmt_ms(big['latencies_ms'][0])}: p99 {fmt_ms(run['lat_p99_ms'])} "
            f"(only transactions overlapping the statement: p99 {fmt_ms(run.get('window_p99_ms'))}, "
            f"{run.get('window_transactions', 0)} txns), {run['tps']:,.0f} tps"
            for run, big in zip(f5, r.get("floor_s5_big", []))))
    cpu_path = os.path.join(WORK, "cpu.txt")
    if os.path.exists(cpu_path):
        samples = [line.split() for line in open(cpu_path) if len(line.split()) == 4]
        others = [float(x[3]) * 100 for x in samples]
        if others:
            busy = percentile(others, 50) > 10
            detail.append(f"- CPU used by other processes (neither this run nor the PostgreSQL server), sampled every 5 s: "
                          f"median {percentile(others, 50):.0f} %, max {max(others):.0f} % of the machine's {os.cpu_count()} CPUs"
                          + (". The machine was shared with other work: treat the figures as noisy." if busy else "."))
            if busy:
                problems_noise.append("other processes used the CPUs during the run")
    seed = r.get("seed")
    if seed:
        detail.append(f"- Seeding through the API: {state['contacts']:,} contacts in {seed['contacts_seconds']:.0f} s "
                      f"({seed['contacts_per_second']:,.0f}/s), {state['lists']} lists in {seed['lists_seconds']:.1f} s, "
                      f"journeys in {seed['journeys_seconds']:.1f} s.")
    for p in problems:
        detail.append(f"- PROBLEM: {p}")

    md = [f"# Enrollment benchmark — {args.title}", "", machine, "", table, "", target_table, "",
          "Details:", "", *detail, ""]
    text = "\n".join(md)
    with open(args.out, "w") as f:
        f.write(text)
    print()
    print(table)
    print()
    print(target_table)
    print()
    print("\n".join(detail))
    record("verdict", {"targets_failed": [t[0] for t in targets if not t[3]], "problems": problems,
                       "noise": problems_noise})
    if problems:
        sys.exit(3)
    if os.environ.get("BENCH_ENFORCE_TARGETS") == "1" and any(not t[3] for t in targets):
        sys.exit(4)


def cmd_citus_plans(args):
    """Counts, per side (the service's statements, the floor's), the Citus plan node and the
    INSERT ... SELECT method of every statement auto_explain logged on the coordinator."""
    with open(args.log, errors="replace") as f:
        entries = re.split(r"LOG:  duration: ", f.read())[1:]
    counts = {}
    for entry in entries:
        side = "floor" if "bench floor" in entry else "service"
        node = re.search(r"Custom Scan \(Citus ([^)]*)\)", entry)
        method = re.search(r"INSERT/SELECT method: ([a-z ]+)", entry)
        if node:
            kind = node.group(1) + (f" ({method.group(1).strip()})" if method else "")
            counts.setdefault(side, {}).setdefault(kind, 0)
            counts[side][kind] += 1
    for side in ("service", "floor"):
        kinds = counts.get(side, {})
        print(f"- Citus plans of the {side}'s statements over 5 ms (auto_explain on the coordinator): "
              + ("; ".join(f"{kind}: {n:,}" for kind, n in sorted(kinds.items())) or "none"))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("seed").set_defaults(func=cmd_seed)
    p = sub.add_parser("get"); p.add_argument("path"); p.set_defaults(func=cmd_get)
    p = sub.add_parser("result"); p.add_argument("path"); p.set_defaults(func=cmd_result)
    p = sub.add_parser("s2"); p.add_argument("phase", choices=["warm_s2", "warm_s4", "s2", "s4"]); p.set_defaults(func=cmd_s2)
    p = sub.add_parser("s3")
    p.add_argument("--group", required=True); p.add_argument("--index", type=int, default=0)
    p.add_argument("--pid", type=int, required=True); p.add_argument("--key", required=True)
    p.set_defaults(func=cmd_s3)
    p = sub.add_parser("wrk")
    p.add_argument("key"); p.add_argument("output"); p.add_argument("--enrolled", type=int, required=True)
    p.add_argument("--append", action="store_true"); p.set_defaults(func=cmd_wrk)
    p = sub.add_parser("sampler"); p.add_argument("--root", type=int, required=True)
    p.add_argument("--server-prefix", default="/usr/lib/postgresql/"); p.set_defaults(func=cmd_sampler)
    p = sub.add_parser("count-sql"); p.add_argument("group"); p.add_argument("--floor", action="store_true")
    p.set_defaults(func=cmd_count_sql)
    p = sub.add_parser("floor-base"); p.add_argument("group"); p.set_defaults(func=cmd_floor_base)
    p = sub.add_parser("floor-journeys"); p.add_argument("group"); p.set_defaults(func=cmd_floor_journeys)
    p = sub.add_parser("floor-sql"); p.add_argument("kind"); p.add_argument("--index", type=int, default=0)
    p.set_defaults(func=cmd_floor_sql)
    p = sub.add_parser("psql")
    p.add_argument("key"); p.add_argument("output"); p.add_argument("--append", action="store_true")
    p.add_argument("--start-epoch", type=float); p.add_argument("--end-epoch", type=float)
    p.set_defaults(func=cmd_psql)
    p = sub.add_parser("pgbench")
    p.add_argument("key"); p.add_argument("output"); p.add_argument("log_prefix")
    p.add_argument("--enrolled", type=int, required=True); p.add_argument("--duration", type=int, required=True)
    p.add_argument("--start-epoch", type=float); p.add_argument("--end-epoch", type=float)
    p.add_argument("--append", action="store_true"); p.set_defaults(func=cmd_pgbench)
    p = sub.add_parser("citus-plans"); p.add_argument("log"); p.set_defaults(func=cmd_citus_plans)
    p = sub.add_parser("report"); p.add_argument("--out", required=True); p.add_argument("--machine")
    p.add_argument("--title", default="")
    p.set_defaults(func=cmd_report)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
