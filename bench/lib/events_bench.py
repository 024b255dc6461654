#!/usr/bin/env python3
"""The measurements of bench/events.sh: `run` seeds and measures E1, E2 and E3 (each with its
reference) into $BENCH_WORK/results.json; `report` prints the table and writes the markdown.
Standard library only; the HTTP client, percentiles and the CPU samples are bench.py's."""

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid

sys.dont_write_bytecode = True  # no __pycache__ beside bench.py
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import WORK, Client, base_url, email, fmt_ms, load, log, percentile, record  # noqa: E402

DB = os.environ.get("BENCH_DB", "")
BATCH = 1000  # events per POST /v1/events (the most it takes), emails per enroll request
WARM = 1000   # contacts set apart for the E2 and E3 warm-ups


def env_int(name):
    return int(os.environ[name])


# --------------------------------------------------------------------------------------------- SQL

def psql(text, *options):
    done = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", DB, *options], input=text,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"psql failed: {done.stderr.strip()}\n{text[:500]}")
    return done.stdout


def scalar(text):
    return psql(text, "-At").strip()


class Session:
    """One psql process kept open: a query costs a round trip, not a process start (the pollers)."""

    END = "__bench_end__"

    def __init__(self):
        self.proc = subprocess.Popen(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", DB],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def query(self, text):
        self.proc.stdin.write(text.rstrip().rstrip(";") + ";\n\\echo " + self.END + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise SystemExit(f"psql session ended on: {text[:300]}")
            line = line.rstrip("\n")
            if line == self.END:
                return lines
            lines.append(line)

    def scalar(self, text):
        rows = self.query(text)
        return rows[0] if rows else None

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def array(values):
    """A PostgreSQL array literal of text values, inside a SQL string literal."""
    quoted = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return "'{" + ",".join(quoted).replace("'", "''") + "}'"


def vacuum():
    """Autovacuum is off on the benchmark server: statistics and the visibility map by hand."""
    psql("vacuum analyze contacts; vacuum analyze journeys; vacuum analyze enrollments; vacuum analyze events;"
         " vacuum analyze enrollment_events;")


def checkpoint():
    psql("checkpoint")


def wait_until(what, probe, done, timeout, interval=0.05):
    """Polls probe() until done(value); returns (value, seconds)."""
    start = time.monotonic()
    while True:
        value = probe()
        if done(value):
            return value, time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise SystemExit(f"{what}: not done within {timeout} s (last value {value})")
        time.sleep(interval)


def events_body(events):
    return json.dumps({"events": events}, separators=(",", ":")).encode()


# -------------------------------------------------------------------------------------------- seed

class Bench:

    def __init__(self):
        self.contacts = env_int("BENCH_EVENTS_CONTACTS")
        self.e2_enrollments = env_int("BENCH_E2_ENROLLMENTS")
        self.e2_events = env_int("BENCH_E2_EVENTS")
        self.e3_size = env_int("BENCH_E3_SIZE")
        self.clients = env_int("BENCH_CLIENTS")
        self.rng = random.Random(env_int("BENCH_SEED"))
        if self.e2_enrollments > self.contacts or self.e2_enrollments % 10:
            raise SystemExit("BENCH_E2_ENROLLMENTS must be a multiple of 10 and at most BENCH_EVENTS_CONTACTS")
        if self.e2_events > self.e2_enrollments:
            raise SystemExit("BENCH_E2_EVENTS must be at most BENCH_E2_ENROLLMENTS")
        # contact numbers: [0, contacts) for E1 and E2; then the warm-up contacts; then E3's two sets
        self.warm_base = self.contacts
        self.trigger_base = self.warm_base + WARM
        self.enroll_base = self.trigger_base + self.e3_size
        self.total = self.enroll_base + self.e3_size
        self.problems = []
        self.session = Session()

    def problem(self, text):
        log("PROBLEM " + text)
        self.problems.append(text)

    def seed(self):
        admin = Client(base_url(), os.environ["BENCH_ADMIN_TOKEN"])
        self.company = admin.ok("POST", "/admin/v1/companies", {"name": "Events bench"})["id"]
        self.token = admin.ok("POST", f"/admin/v1/companies/{self.company}/api_keys", {"name": "bench"})["token"]
        self.api = Client(base_url(), self.token)
        t0 = time.monotonic()
        # Contacts straight in SQL (the benchmark is the events, not the seeding), as bench/runner.sh does.
        psql(f"""insert into contacts (company_id, id, email_address, first_name, status, created_at, updated_at)
        select '{self.company}', gen_random_uuid(), 'u' || n || '@bench.example.com', 'User', 'active', now(), now()
        from generate_series(0, {self.total} - 1) n;""")
        vacuum()
        log(f"seeded {self.total:,} contacts in SQL in {time.monotonic() - t0:.1f} s")

    def journey(self, name, steps=None, **settings):
        made = self.api.ok("POST", "/v1/journeys", {"name": name, **({"steps": steps} if steps else {}), **settings})
        self.api.ok("PATCH", f"/v1/journeys/{made['id']}", {"state": "on"}, expect=(200,))
        return made["id"]

    def enroll(self, journey, numbers):
        """The enroll API, 1,000 emails per request; checks every answer."""
        seconds = []
        for start in range(0, len(numbers), BATCH):
            part = numbers[start:start + BATCH]
            body = json.dumps({"contact_email_addresses": [email(n) for n in part]}, separators=(",", ":")).encode()
            status, answer, elapsed = self.api.call("POST", f"/v1/journeys/{journey}/enroll", body)
            if status != 200 or answer.get("enrolled_count") != len(part):
                self.problem(f"enroll answered {status}, {json.dumps(answer)[:300]}, expected {len(part)} enrolled")
            seconds.append(elapsed)
        return seconds

    def send(self, client, body, count, what):
        """One POST /v1/events; checks that every event was stored."""
        status, answer, elapsed = client.call("POST", "/v1/events", body)
        if status != 200 or answer.get("accepted") != count or answer.get("duplicates") or answer.get("not_found"):
            self.problem(f"{what}: POST /v1/events answered {status}, {json.dumps(answer)[:300]}, expected {count} accepted")
        return elapsed

    # ------------------------------------------------------------------------------------------- E1

    def e1_picks(self, count):
        return [[self.rng.randrange(self.contacts) for _ in range(BATCH)] for _ in range(count)]

    def e1_service(self, tag, picks):
        """Every client its share of the batches (batch b to client b mod clients), one keep-alive connection each."""
        bodies = [events_body([{"id": f"e1{tag}-{b:05d}-{i:04d}", "name": "page_viewed",
                                "contact_email_address": email(n), "properties": {"n": i}}
                               for i, n in enumerate(batch)]) for b, batch in enumerate(picks)]
        latencies = [None] * len(bodies)
        ends = []

        def client(c):
            api = Client(base_url(), self.token)
            for b in range(c, len(bodies), self.clients):
                latencies[b] = self.send(api, bodies[b], BATCH, f"E1 {tag} batch {b}") * 1000
            ends.append(time.monotonic())

        threads = [threading.Thread(target=client, args=(c,)) for c in range(self.clients)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = max(ends) - start
        return {"batches": len(bodies), "events": len(bodies) * BATCH, "seconds": seconds,
                "rate": len(bodies) * BATCH / seconds, "latencies_ms": latencies, "last_answer": max(ends)}

    def e1_wait_applied(self, last_answer):
        """No journey listens to page_viewed: none is queued for effects; this checks the queue is empty."""
        pending, _ = wait_until("E1 events applied", lambda: int(self.session.scalar(
            f"select count(*) from event_queue where company_id = '{self.company}'")),
            lambda v: v == 0, timeout=1800)
        return time.monotonic() - last_answer

    def e1_floor_setup(self):
        """The lean floor: one table of the events' columns, only the primary key (company_id, id)
        and the idempotency index (company_id, key); the client sends contact ids (no email lookup)."""
        psql("""drop schema if exists lean cascade;
        create schema lean;
        create table lean.events (company_id uuid not null, id uuid not null, key text not null, contact_id uuid not null,
          name text not null, properties text not null, occurred_at timestamptz not null, received_at timestamptz not null,
          primary key (company_id, id));
        create unique index on lean.events (company_id, key);""")
        rows = psql(f"select email_address, id from contacts where company_id = '{self.company}'", "-At", "-F", " ")
        by_email = dict(line.split(" ") for line in rows.splitlines())
        self.contact_ids = [by_email[email(n)] for n in range(self.contacts)]

    def e1_floor(self, tag, picks):
        """psql clients, each its share of the batches; one INSERT ... SELECT FROM unnest(arrays) ON
        CONFLICT DO NOTHING per batch, in autocommit; ids time-ordered per batch, like the service's."""
        files = []
        for c in range(self.clients):
            path = os.path.join(WORK, f"floor_e1{tag}_{c}.sql")
            with open(path, "w") as f:
                f.write("\\timing on\n")
                for b in range(c, len(picks), self.clients):
                    millis = int(time.time() * 1000) & 0xFFFF_FFFF_FFFF
                    high = (millis << 16) | 0x7000 | random.getrandbits(12)
                    low = 0x8000_0000_0000_0000 | random.getrandbits(61)
                    ids = [str(uuid.UUID(int=(high << 64) | (low + i + 1))) for i in range(BATCH)]
                    keys = [f"e1{tag}-{b:05d}-{i:04d}" for i in range(BATCH)]
                    contacts = [self.contact_ids[n] for n in picks[b]]
                    props = [json.dumps({"n": i}, separators=(",", ":")) for i in range(BATCH)]
                    f.write(f"insert into lean.events (company_id, id, key, contact_id, name, properties, occurred_at, received_at)\n"
                            f"select '{self.company}', e.id, e.key, e.contact_id, e.name, e.properties, now(), now()\n"
                            f"from unnest(cast({array(ids)} as uuid[]), cast({array(keys)} as text[]), "
                            f"cast({array(contacts)} as uuid[]), cast({array(['page_viewed'] * BATCH)} as text[]), "
                            f"cast({array(props)} as text[])) as e(id, key, contact_id, name, properties)\n"
                            f"on conflict (company_id, key) do nothing;\n")
            files.append(path)
        start = time.monotonic()
        procs = [subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", DB, "-f", path],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for path in files]
        outputs = [p.communicate() for p in procs]
        seconds = time.monotonic() - start
        latencies = []
        for p, (out, err) in zip(procs, outputs):
            if p.returncode != 0:
                raise SystemExit(f"E1 floor: psql failed: {err.strip()}")
            latencies += [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time:")]
        stored = int(scalar(f"select count(*) from lean.events where key like 'e1{tag}-%'"))
        if stored != len(picks) * BATCH:
            self.problem(f"E1 floor {tag}: {stored} rows stored, expected {len(picks) * BATCH}")
        return {"batches": len(picks), "rows": stored, "seconds": seconds, "rate": stored / seconds,
                "latencies_ms": latencies}

    def e1(self):
        warm, batches = env_int("BENCH_E1_WARMUP"), env_int("BENCH_E1_BATCHES")
        warm_picks, picks = self.e1_picks(warm), self.e1_picks(batches)
        self.e1_floor_setup()
        log(f"E1 warm-up: service {warm} batches, then the lean floor")
        if warm:
            w = self.e1_service("w", warm_picks)
            self.e1_wait_applied(w["last_answer"])
            self.e1_floor("w", warm_picks)
        vacuum()
        log(f"E1 service: {batches} batches of {BATCH:,} events, {self.clients} clients")
        checkpoint()
        service = self.e1_service("m", picks)
        applied = self.e1_wait_applied(service["last_answer"])
        stored = int(scalar(f"select count(*) from events where company_id = '{self.company}' and key like 'e1m-%'"))
        if stored != service["events"]:
            self.problem(f"E1: {stored} events stored, expected {service['events']}")
        service.update(applied_after=applied, stored=stored)
        log(f"E1 service: {service['rate']:,.0f} events/s in {service['seconds']:.1f} s; all applied "
            f"{applied:.1f} s after the last answer")
        log(f"E1 lean floor: {batches} batches, {self.clients} psql clients")
        checkpoint()
        floor = self.e1_floor("m", picks)
        log(f"E1 lean floor: {floor['rate']:,.0f} rows/s in {floor['seconds']:.1f} s")
        del service["last_answer"]
        record("e1", {"service": service, "floor": floor, "clients": self.clients})
        vacuum()

    # ------------------------------------------------------------------------------------------- E2

    def e2(self):
        per = self.e2_enrollments // 10
        hook = f"http://127.0.0.1:{os.environ['BENCH_RECEIVER_PORT']}/hook"
        goal = {"event_name": "converted"}
        self.e2_journeys = [self.journey(f"E2 {j}", [{"type": "wait", "duration": "P1D"}] if j < 5 else
                                         [{"type": "webhook", "url": hook}], goal=goal) for j in range(10)]
        warm_journey = self.journey("E2 warm-up", [{"type": "wait", "duration": "P1D"}],
                                    goal={"event_name": "converted_warmup"})
        log(f"E2: enrolling {self.e2_enrollments:,} contacts into 10 journeys [wait P1D] x 5, [webhook answering 500] x 5")
        t0 = time.monotonic()
        for j, journey in enumerate(self.e2_journeys):
            self.enroll(journey, list(range(j * per, (j + 1) * per)))
        self.enroll(warm_journey, list(range(self.warm_base, self.warm_base + WARM)))
        log(f"E2: enrolled in {time.monotonic() - t0:.1f} s; waiting for the runner to start them all")
        ids = "'{" + ",".join(self.e2_journeys + [warm_journey]) + "}'"
        hooks = "'{" + ",".join(self.e2_journeys[5:]) + "}'"
        started, seconds = wait_until("E2: the runner starting the enrollments", lambda: int(self.session.scalar(
            f"""select count(*) from enrollments where company_id = '{self.company}' and journey_id = any({ids})
            and status = 'active' and step_id is not null and (journey_id <> all({hooks}) or attempts >= 1)""")),
            lambda v: v == self.e2_enrollments + WARM, timeout=1800, interval=0.5)
        calls = json.loads(subprocess.run(["curl", "-s", f"http://127.0.0.1:{os.environ['BENCH_RECEIVER_PORT']}/stats"],
                                          capture_output=True, text=True).stdout)["count"]
        log(f"E2: all {started:,} started {seconds:.1f} s later ({calls:,} webhook calls answered 500)")
        vacuum()
        checkpoint()

        self.session.query("create temp table e2_batch (journey_id uuid, contact_id uuid)")
        self.session.query("create temp table e2_all (journey_id uuid, contact_id uuid)")
        poll = env_int("BENCH_E2_POLL_MS") / 1000

        def run_batch(name, numbers, journey_of, key):
            """Sends one batch; polls until its exits are visible. Per event: seconds from the answer to
            the first poll that saw its enrollment exited."""
            emails = [email(n) for n in numbers]
            self.session.query(f"""truncate e2_batch;
            insert into e2_batch select u.j, c.id from unnest(cast({array(emails)} as text[]),
              cast({array([journey_of(n) for n in numbers])} as uuid[])) as u(e, j)
            join contacts c on c.company_id = '{self.company}' and c.email_address = u.e;
            insert into e2_all select * from e2_batch;
            analyze e2_batch""")
            count_sql = f"""select count(*) from e2_batch b join enrollments e on e.company_id = '{self.company}'
            and e.journey_id = b.journey_id and e.contact_id = b.contact_id and e.status <> 'active'
            where e.exit_reason = 'goal_reached'"""
            body = events_body([{"id": f"{key}-{i:04d}", "name": name, "contact_email_address": em,
                                 "properties": {"n": i}} for i, em in enumerate(emails)])
            self.send(self.api, body, len(numbers), key)
            answered = time.monotonic()
            latencies, seen, polls = [], 0, 0
            while seen < len(numbers):
                count = int(self.session.scalar(count_sql))
                polls += 1
                now = time.monotonic()
                if count > seen:
                    latencies += [now - answered] * (count - seen)
                    seen = count
                elif now - answered > 60:
                    self.problem(f"E2 {key}: only {seen} of {len(numbers)} exits visible 60 s after the answer")
                    break
                if seen < len(numbers):
                    time.sleep(poll)
            return latencies, polls

        warm_latencies, _ = run_batch("converted_warmup", list(range(self.warm_base, self.warm_base + WARM)),
                                      lambda n: warm_journey, "e2w")
        self.session.query("truncate e2_all")
        targets = self.rng.sample(range(self.e2_enrollments), self.e2_events)
        journey_of = lambda n: self.e2_journeys[n // per]  # noqa: E731
        latencies, per_batch = [], []
        log(f"E2: {self.e2_events:,} converted events in batches of {BATCH:,}, each polled to its exits")
        for b, start in enumerate(range(0, len(targets), BATCH)):
            got, polls = run_batch("converted", targets[start:start + BATCH], journey_of, f"e2m-{b:03d}")
            latencies += got
            per_batch.append({"all_visible_s": max(got) if got else None, "first_visible_s": min(got) if got else None,
                              "polls": polls})
        log(f"E2: answer to exit visible p50 {percentile(latencies, 50) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
        record("e2", {"latencies_s": latencies, "per_batch": per_batch, "warmup_s": max(warm_latencies or [0]),
                      "enrollments": self.e2_enrollments, "events": self.e2_events, "start_seconds": seconds,
                      "webhook_calls": calls, "checks": self.e2_checks(), "poll_ms": env_int("BENCH_E2_POLL_MS")})

    def e2_checks(self):
        """Exactly the targeted enrollments exited by their goal, each with one 'goal' row in its timeline."""
        ids = "'{" + ",".join(self.e2_journeys) + "}'"
        hooks = "'{" + ",".join(self.e2_journeys[5:]) + "}'"
        row = self.session.query(f"""select
          (select count(*) from enrollments where company_id = '{self.company}' and journey_id = any({ids})
             and exit_reason = 'goal_reached'),
          (select count(*) from e2_all b join enrollments e on e.company_id = '{self.company}'
             and e.journey_id = b.journey_id and e.contact_id = b.contact_id and e.status <> 'active'
             where e.exit_reason = 'goal_reached'),
          (select count(*) from enrollments where company_id = '{self.company}' and journey_id = any({ids})
             and status = 'active'),
          (select count(*) from enrollments where company_id = '{self.company}' and journey_id = any({hooks})
             and exit_reason = 'goal_reached' and attempts >= 1),
          (select count(*) from enrollment_events g join enrollments e on e.company_id = g.company_id and e.id = g.enrollment_id
             where g.company_id = '{self.company}' and g.kind = 'goal' and e.journey_id = any({ids})),
          (select count(distinct g.enrollment_id) from enrollment_events g join enrollments e
             on e.company_id = g.company_id and e.id = g.enrollment_id
             where g.company_id = '{self.company}' and g.kind = 'goal' and e.journey_id = any({ids}))""")[0]
        goal, targeted, active, at_webhook, goal_rows, goal_enrollments = map(int, row.split("|"))
        checks = {"goal_reached": goal, "targeted_goal_reached": targeted, "still_active": active,
                  "exited_at_webhook_step": at_webhook, "goal_timeline_rows": goal_rows,
                  "goal_timeline_enrollments": goal_enrollments}
        expected = {"goal_reached": self.e2_events, "targeted_goal_reached": self.e2_events,
                    "still_active": self.e2_enrollments - self.e2_events, "goal_timeline_rows": self.e2_events,
                    "goal_timeline_enrollments": self.e2_events}
        for name, value in expected.items():
            if checks[name] != value:
                self.problem(f"E2 check {name}: {checks[name]:,}, expected {value:,}")
        return checks

    # ------------------------------------------------------------------------------------------- E3

    def e3(self):
        trigger = self.journey("E3 trigger", trigger={"event_name": "signed_up"})
        trigger_warm = self.journey("E3 trigger warm-up", trigger={"event_name": "signed_up_warmup"})
        reference = self.journey("E3 enroll")
        reference_warm = self.journey("E3 enroll warm-up")
        warm = list(range(self.warm_base, self.warm_base + WARM))

        def count(journey):
            return int(self.session.scalar(f"select count(*) from enrollments where company_id = '{self.company}' "
                                           f"and journey_id = '{journey}'"))

        def triggered(name, numbers, journey, key):
            bodies = [events_body([{"id": f"{key}-{b:03d}-{i:04d}", "name": name, "contact_email_address": email(n),
                                    "properties": {"n": i}} for i, n in enumerate(numbers[s:s + BATCH])])
                      for b, s in enumerate(range(0, len(numbers), BATCH))]
            start = time.monotonic()
            for b, body in enumerate(bodies):
                self.send(self.api, body, min(BATCH, len(numbers) - b * BATCH), key)
            answered = time.monotonic()
            _, _ = wait_until(f"E3 {key}: the triggered enrollments", lambda: count(journey),
                              lambda v: v >= len(numbers), timeout=600, interval=env_int("BENCH_E2_POLL_MS") / 1000)
            done = time.monotonic()
            return {"seconds": done - start, "answers_seconds": answered - start, "after_last_answer": done - answered,
                    "rate": len(numbers) / (done - start)}

        log("E3 warm-up: triggered and enrolled")
        triggered("signed_up_warmup", warm, trigger_warm, "e3w")
        self.enroll(reference_warm, warm)
        vacuum()
        log(f"E3: {self.e3_size:,} signed_up events in batches of {BATCH:,}, until every enrollment exists")
        checkpoint()
        service = triggered("signed_up", list(range(self.trigger_base, self.trigger_base + self.e3_size)), trigger, "e3m")
        log(f"E3: {service['rate']:,.0f} enrollments/s by trigger")
        log(f"E3 reference: enroll {self.e3_size:,} contacts, {BATCH:,} emails per request")
        checkpoint()
        start = time.monotonic()
        latencies = self.enroll(reference, list(range(self.enroll_base, self.enroll_base + self.e3_size)))
        seconds = time.monotonic() - start
        ref = {"seconds": seconds, "rate": self.e3_size / seconds, "latencies_ms": [s * 1000 for s in latencies]}
        log(f"E3 reference: {ref['rate']:,.0f} enrollments/s")
        row = self.session.query(f"""select count(*), count(distinct contact_id), count(*) filter (where source = 'trigger'),
          count(*) filter (where trigger_event like '%"name":"signed_up"%') from enrollments
          where company_id = '{self.company}' and journey_id = '{trigger}'""")[0]
        total, distinct, by_trigger, with_event = map(int, row.split("|"))
        checks = {"enrollments": total, "distinct_contacts": distinct, "source_trigger": by_trigger,
                  "with_trigger_event": with_event, "reference_enrolled": count(reference)}
        for name, value in checks.items():
            if value != self.e3_size:
                self.problem(f"E3 check {name}: {value:,}, expected {self.e3_size:,}")
        record("e3", {"service": service, "reference": ref, "size": self.e3_size, "checks": checks})

    def run(self):
        self.seed()
        self.e1()
        self.e2()
        self.e3()
        # E2's goal exits, checked again at the very end: no late duplicate, no late exit
        record("e2_final_checks", self.e2_checks())
        record("problems", self.problems)
        self.session.close()


# ------------------------------------------------------------------------------------------ report

def cmd_report(args):
    r = load(os.path.join(WORK, "results.json"))
    machine = open(args.machine).read().strip() if args.machine else ""
    rows, details = [], []
    problems = list(r.get("problems", []))
    e1, e2, e3 = r.get("e1"), r.get("e2"), r.get("e3")

    def verdict(ok):
        return "PASS" if ok else "FAIL"

    targets_failed = []
    if e1:
        s, f = e1["service"], e1["floor"]
        ratio = s["rate"] / f["rate"]
        rows.append(["E1 ingest", f"{s['batches']:,} batches × 1,000 events, {e1['clients']} clients "
                     "(no journey listens: none is queued for effects)",
                     f"{s['rate']:,.0f} events/s (batch p50 {fmt_ms(percentile(s['latencies_ms'], 50))}, "
                     f"p99 {fmt_ms(percentile(s['latencies_ms'], 99))})",
                     f"lean floor {f['rate']:,.0f} rows/s (batch p50 {fmt_ms(percentile(f['latencies_ms'], 50))})",
                     f"{ratio:.2f}", "≥ 0.50", verdict(ratio >= 0.5)])
        if ratio < 0.5:
            targets_failed.append("E1")
        details.append(f"- E1: {s['events']:,} events (random contacts of the {int(os.environ.get('BENCH_EVENTS_CONTACTS', 0)):,}, "
                       f"`page_viewed`, properties `{{\"n\": i}}`, unique ids) in {s['seconds']:.1f} s; {s['stored']:,} stored. "
                       f"No journey listens to `page_viewed`, so none was queued for effects (the queue was empty "
                       f"{s['applied_after']:.1f} s after the last answer).")
        details.append(f"- E1 lean floor: {f['rows']:,} rows in {f['seconds']:.1f} s by {e1['clients']} `psql` clients, each batch "
                       "one `INSERT … SELECT … FROM unnest(5 arrays) ON CONFLICT (company_id, key) DO NOTHING` in autocommit, "
                       "into `lean.events` (the events' columns; primary key `(company_id, id)` with ids time-ordered per batch "
                       "as the service's, and the unique `(company_id, key)`; two index entries a row, as the service's `events` (its key by contact and the same unique key), which also has a BRIN on `received_at`); "
                       "the client sends contact ids, so no email lookup; `occurred_at` and `received_at` are `now()`. "
                       f"Batch p99 {fmt_ms(percentile(f['latencies_ms'], 99))}.")
    if e2:
        lat = [v * 1000 for v in e2["latencies_s"]]
        p50, p99, mx = percentile(lat, 50), percentile(lat, 99), max(lat)
        c = e2["checks"]
        final = r.get("e2_final_checks", c)
        ok_checks = (final["goal_reached"] == e2["events"] and final["targeted_goal_reached"] == e2["events"]
                     and final["goal_timeline_rows"] == e2["events"] and final["goal_timeline_enrollments"] == e2["events"])
        rows.append(["E2 goal exits", f"{e2['events']:,} `converted` events over {e2['enrollments']:,} active enrollments "
                     "(10 journeys), batches of 1,000, sequential",
                     f"answer → exit visible p50 {fmt_ms(p50)}, p99 {fmt_ms(p99)}, max {fmt_ms(mx)}",
                     f"{final['goal_reached']:,} exited `goal_reached`, {final['goal_timeline_rows']:,} goal rows for "
                     f"{final['goal_timeline_enrollments']:,} enrollments", "—", "p99 ≤ 1 s; each exit once",
                     verdict(p99 <= 1000 and ok_checks)])
        if p99 > 1000 or not ok_checks:
            targets_failed.append("E2")
        details.append(f"- E2: journeys 1-5 `[wait P1D]`, 6-10 `[webhook]` to a receiver answering 500 (first retry "
                       f"{os.environ.get('BENCH_E2_FIRST_RETRY', '?')}, so none in flight while measuring), each with goal "
                       f"`converted`; {e2['enrollments']:,} enrolled through the enroll API, all started by the runner "
                       f"{e2['start_seconds']:.1f} s later ({e2['webhook_calls']:,} webhook calls answered 500). "
                       f"Of the goal exits, {c['exited_at_webhook_step']:,} were at the webhook step; {c['still_active']:,} "
                       "enrollments left active.")
        details.append(f"- E2 per batch, answer → all its exits visible: "
                       + ", ".join(fmt_ms(b["all_visible_s"] * 1000) if b["all_visible_s"] is not None else "—"
                                   for b in e2["per_batch"])
                       + f" (polled every {e2['poll_ms']} ms plus the query, one `psql` session; a latency is the end of the "
                       f"first poll that saw the exit). Warm-up batch (other journey): {fmt_ms(e2['warmup_s'] * 1000)}.")
    if e3:
        s, ref = e3["service"], e3["reference"]
        ratio = s["rate"] / ref["rate"]
        rows.append(["E3 triggers", f"{e3['size']:,} `signed_up` events for fresh contacts, batches of 1,000, sequential",
                     f"{s['rate']:,.0f} enrollments/s (all there {fmt_ms(s['seconds'] * 1000)} after the first send)",
                     f"enroll API, 1,000 emails/request: {ref['rate']:,.0f} enrollments/s ({fmt_ms(ref['seconds'] * 1000)})",
                     f"{ratio:.2f}", "≥ 0.50", verdict(ratio >= 0.5)])
        if ratio < 0.5:
            targets_failed.append("E3")
        details.append(f"- E3: the events were answered in {fmt_ms(s['answers_seconds'] * 1000)}; the last enrollment appeared "
                       f"{fmt_ms(s['after_last_answer'] * 1000)} after the last answer. Reference requests: "
                       + ", ".join(f"{v:.0f}" for v in ref["latencies_ms"]) + " ms. Checks: "
                       + ", ".join(f"{k} {v:,}" for k, v in e3["checks"].items()) + ".")
    cpu_path = os.path.join(WORK, "cpu.txt")
    if os.path.exists(cpu_path):
        samples = [line.split() for line in open(cpu_path) if len(line.split()) == 4]
        others = [float(x[3]) * 100 for x in samples]
        if others:
            details.append(f"- CPU used by other processes (neither this run nor the PostgreSQL server), sampled every 5 s: "
                           f"median {percentile(others, 50):.0f} %, max {max(others):.0f} % of the machine's {os.cpu_count()} CPUs"
                           + (". The machine was shared with other work: treat the figures as noisy."
                              if percentile(others, 50) > 10 else "."))
    for p in problems:
        details.append(f"- PROBLEM: {p}")

    header = ["", "Scenario", "Service", "Reference (E2: the checks)", "Service/reference", "Target", "Result"]
    lines = [f"| {' | '.join(header)} |", f"|{'|'.join('---' for _ in header)}|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    table = "\n".join(lines)
    text = "\n".join([f"# Events benchmark — {args.title}", "", machine, "", table, "", "Details:", "", *details, ""])
    with open(args.out, "w") as f:
        f.write(text)
    print()
    print(table)
    print()
    print("\n".join(details))
    if problems:
        sys.exit(3)
    if os.environ.get("BENCH_ENFORCE_TARGETS") == "1" and targets_failed:
        sys.exit(4)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("run").set_defaults(func=lambda args: Bench().run())
    p = sub.add_parser("report")
    p.add_argument("--out", required=True)
    p.add_argument("--machine")
    p.add_argument("--title", default="")
    p.set_defaults(func=cmd_report)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
