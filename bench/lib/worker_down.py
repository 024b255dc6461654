#!/usr/bin/env python3
"""One Citus worker stopped under steady enroll load (issue 24).

Against a running service whose database is the coordinator of ../shared/citus's cluster (or any
cluster whose worker can be stopped by a command): makes COMPANIES companies, finds on which
worker each company's shard lives, and runs one-email enrolls for PER_SIDE companies on each of two
workers from CLIENTS threads. After WARMUP seconds it runs STOP_CMD, waits DOWN seconds, runs
START_CMD and goes on for AFTER seconds. It prints, per phase (before, down, after) and side (the
stopped worker's companies, the other's): requests, statuses, p50/p99 latency; the coordinator's
new sessions a second (pg_stat_database.sessions); the first answer after the stop and after the
start; and checks that every enroll answered 200 is stored and none answered otherwise is.

usage: worker_down.py BASE ADMIN_TOKEN COORDINATOR_DSN STOPPED_PORT OTHER_PORT
env:   STOP_CMD START_CMD (shell), COMPANIES=16 PER_SIDE=5 CLIENTS=8 WARMUP=20 DOWN=60 AFTER=20
"""
import json, os, subprocess, sys, threading, time, http.client, urllib.parse, statistics

BASE, ADMIN, DSN, STOPPED, OTHER = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
COMPANIES = int(os.environ.get("COMPANIES", 16))
PER_SIDE = int(os.environ.get("PER_SIDE", 5))
CLIENTS = int(os.environ.get("CLIENTS", 8))
WARMUP, DOWN, AFTER = (float(os.environ.get(k, d)) for k, d in (("WARMUP", 20), ("DOWN", 60), ("AFTER", 20)))
url = urllib.parse.urlparse(BASE)


def call(method, path, token, body=None):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": "Bearer " + token}
    if data is not None:
        headers["Content-Type"] = "application/json"
    start = time.monotonic()
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        return response.status, text, time.monotonic() - start
    except Exception as ex:  # no answer at all
        return 0, str(ex), time.monotonic() - start
    finally:
        conn.close()


def psql(sql):
    return subprocess.run(["psql", "-X", "-At", DSN, "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def setup():
    sides = {STOPPED: [], OTHER: []}
    for i in range(COMPANIES):
        status, text, _ = call("POST", "/admin/v1/companies", ADMIN, {"name": f"wd{i}"})
        company = json.loads(text)["id"]
        token = json.loads(call("POST", f"/admin/v1/companies/{company}/api_keys", ADMIN, {"name": "k"})[1])["token"]
        journey = json.loads(call("POST", "/v1/journeys", token, {"name": "j"})[1])["id"]
        call("PATCH", f"/v1/journeys/{journey}", token, {"state": "on"})
        port = int(psql(f"select nodeport from citus_shards where table_name = 'enrollments'::regclass "
                        f"and shardid = get_shard_id_for_distribution_column('enrollments', '{company}')"))
        if port in sides and len(sides[port]) < PER_SIDE:
            for first in (0, 10000):  # the bulk endpoint takes 10,000 at a time
                contacts = [{"email_address": f"c{n}@x.com"} for n in range(first, first + 10000)]
                assert call("POST", "/v1/contacts/bulk", token, {"contacts": contacts})[0] == 200
            sides[port].append({"company": company, "token": token, "journey": journey})
    return sides


results = []  # (time, side, company, email, status, seconds)
lock = threading.Lock()
stop = threading.Event()


def client(n, companies):
    i = 0
    while not stop.is_set():
        c = companies[i % len(companies)]
        email = f"c{(i // len(companies)) * CLIENTS + n}@x.com"
        i += 1
        status, text, seconds = call("POST", f"/v1/journeys/{c['journey']}/enroll", c["token"],
                                     {"contact_email_addresses": [email]})
        ok = status == 200 and json.loads(text)["enrolled_count"] == 1
        with lock:
            results.append((time.monotonic(), c["side"], c["company"], email, status if status != 200 or ok else -200, seconds))


def sessions():
    return int(psql("select sessions from pg_stat_database where datname = current_database()"))


def main():
    sides = setup()
    companies = []
    for port, side in ((STOPPED, "stopped"), (OTHER, "other")):
        assert len(sides[port]) == PER_SIDE, f"only {len(sides[port])} companies on {port}"
        for c in sides[port]:
            c["side"] = side
            companies.append(c)
    threads = [threading.Thread(target=client, args=(n, companies[n % 2::2] if CLIENTS > 1 else companies))
               for n in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(WARMUP)
    s0, t0 = sessions(), time.monotonic()
    time.sleep(min(10, WARMUP))
    before_rate = (sessions() - s0) / (time.monotonic() - t0)
    stopped_at = time.monotonic()
    subprocess.run(os.environ["STOP_CMD"], shell=True, check=True)
    s1 = sessions()
    time.sleep(DOWN)
    down_rate = (sessions() - s1) / (time.monotonic() - stopped_at)
    started_at = time.monotonic()
    if os.environ.get("STATS_FILE"):  # the wall-clock window the worker was down, for the log's lines
        with open(os.environ["STATS_FILE"], "w") as f:
            wall = time.time()
            iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03d" % (int(t * 1000) % 1000)
            f.write(f"{iso(wall - (started_at - stopped_at))} {iso(wall)}\n")
    subprocess.run(os.environ["START_CMD"], shell=True, check=True)
    time.sleep(AFTER)
    stop.set()
    for t in threads:
        t.join()

    def phase(t):
        return "before" if t < stopped_at else "down" if t < started_at else "after"

    print(f"| phase | side | requests | 200 | 503 | other | p50 ms | p99 ms | max ms |")
    print(f"|---|---|---:|---:|---:|---:|---:|---:|---:|")
    summary = {}
    for ph in ("before", "down", "after"):
        for side in ("stopped", "other"):
            rows = [r for r in results if phase(r[0] - r[5]) == ph and r[1] == side]
            if not rows:
                continue
            lat = sorted(r[5] * 1000 for r in rows)
            p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
            ok = sum(1 for r in rows if r[4] == 200)
            unavailable = sum(1 for r in rows if r[4] == 503)
            summary[(ph, side)] = statistics.median(lat)
            print(f"| {ph} | {side} | {len(rows)} | {ok} | {unavailable} | {len(rows) - ok - unavailable} | "
                  f"{p(0.5):.1f} | {p(0.99):.1f} | {lat[-1]:.0f} |")
    print()
    print(f"coordinator new sessions per second: before {before_rate:.2f}, while the worker was down {down_rate:.2f}")
    if ("before", "other") in summary and ("down", "other") in summary:
        print(f"other side's p50 while down / before: {summary[('down', 'other')] / summary[('before', 'other')]:.2f}")
    first_down = min((r for r in results if r[0] - r[5] >= stopped_at and r[1] == "stopped" and r[4] == 503),
                     key=lambda r: r[0], default=None)
    if first_down:
        print(f"first 503 of the stopped side: {1000 * (first_down[0] - stopped_at):.0f} ms after the stop")
    first_back = min((r for r in results if r[0] - r[5] >= started_at and r[1] == "stopped" and r[4] == 200),
                     key=lambda r: r[0], default=None)
    if first_back:
        print(f"first 200 of the stopped side after the start: {1000 * (first_back[0] - started_at):.0f} ms after it")
    # every 200 stored, nothing else
    acknowledged = {(r[2], r[3]) for r in results if r[4] == 200}
    refused = {(r[2], r[3]) for r in results if r[4] not in (200, -200)}
    stored = set()
    for c in companies:
        for line in psql(f"select c.email_address from enrollments e join contacts c on c.company_id = e.company_id "
                         f"and c.id = e.contact_id where e.company_id = '{c['company']}'").splitlines():
            stored.add((c["company"], line))
    print(f"answered 200: {len(acknowledged)}, stored: {len(stored)}, 200 not stored: {len(acknowledged - stored)}, "
          f"refused but stored: {len(refused & stored)}")
    if acknowledged - stored or refused & stored:
        sys.exit(1)


main()
