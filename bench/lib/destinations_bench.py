"""R4 (bench/destinations.sh): a limited destination called by two instances. The receiver runs
here, in a thread pool, and keeps the arrival time of every call."""
import bisect, json, subprocess, sys, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_a, port_b, rport, admin, db, calls, limit = sys.argv[1:8]
calls, limit = int(calls), int(limit)
arrivals, lock = [], threading.Lock()


class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.monotonic()
        with lock:
            arrivals.append(now)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(rport)), Hook)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()


def call(method, path, token, body=None, port=port_a):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        raw = answer.read()
        return json.loads(raw) if raw else None


def sql(text):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=text, capture_output=True, text=True, check=True)


def delivered(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=30) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith("journeys_runner_steps_total") and 'outcome="delivered"' in line and 'type="webhook"' in line:
                return int(float(line.split()[-1]))
    return 0


def busiest(times, window):
    """The most arrivals in any `window` seconds, sliding from each arrival."""
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


company = call("POST", "/admin/v1/companies", admin, {"name": "R4"})["id"]
token = call("POST", f"/admin/v1/companies/{company}/api_keys", admin, {"name": "r4"})["token"]
list_id = call("POST", "/v1/lists", token, {"name": "everyone", "email_address": "everyone@r4.example.com"})["id"]
sql(f"""insert into contacts (company_id, id, email_address, first_name, status, created_at, updated_at)
select '{company}', gen_random_uuid(), 'u' || n || '@bench.example.com', 'User', 'active', now(), now() from generate_series(0, {calls} - 1) n;
insert into list_members (company_id, list_id, contact_id, added_at)
select company_id, '{list_id}', id, now() from contacts where company_id = '{company}';
vacuum analyze;""")
journey = call("POST", "/v1/journeys", token, {"name": "R4", "steps": [{"type": "webhook", "url": f"http://127.0.0.1:{rport}/hook"}]})
destination = call("GET", "/v1/destinations", token)["data"][0]
call("PATCH", f"/v1/destinations/{destination['id']}", token, {"max_per_second": limit})
call("PATCH", f"/v1/journeys/{journey['id']}", token, {"state": "on"})
call("POST", f"/v1/journeys/{journey['id']}/enroll", token, {"list_email_addresses": ["everyone@r4.example.com"]})
deadline = time.monotonic() + 3 * calls / limit + 60
while len(arrivals) < calls and time.monotonic() < deadline:
    time.sleep(0.5)
time.sleep(2)  # anything past the limit would still come
with lock:
    times = sorted(arrivals)
if len(times) < calls:
    sys.exit(f"R4: {len(times)} of {calls} calls within {deadline:.0f} s")
span = times[-1] - times[0]
ideal = (calls - limit) / limit  # a full bucket's burst, then the refill rate
start = times[0]
per_second = {}
for t in times:
    per_second[int(t - start)] = per_second.get(int(t - start), 0) + 1
by_instance = (delivered(port_a), delivered(port_b))
one, ten = busiest(times, 1.0), busiest(times, 10.0)
steady = busiest([t for t in times if t >= start + 1.0], 1.0)
rows = [
    ("R4 calls received", f"{len(times):,} (instance a {by_instance[0]:,}, b {by_instance[1]:,})", f"{calls:,}", "all, from both"),
    ("R4 busiest 1 s (sliding)", f"{one}", f"{limit} (+10 %: {int(limit * 1.1)})", "the first second may add the bucket's burst"),
    ("R4 busiest 1 s after the first", f"{steady}", f"at most {int(limit * 1.1)}", "met" if steady <= limit * 1.1 else "missed"),
    ("R4 busiest calendar second", f"{max(per_second.values())}", f"at most {int(limit * 1.1)} after the first", ""),
    ("R4 busiest 10 s (sliding)", f"{ten}", f"at most {limit * 11}", "met" if ten <= limit * 11 else "missed"),
    ("R4 first to last call", f"{span:.1f} s", f"{calls / limit:.0f} s +-10 % (ideal {ideal:.1f} s)",
     "met" if abs(span - calls / limit) <= 0.1 * calls / limit else "missed"),
]
print("| Measure | Result | Target | |\n|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
print("\ncalls per calendar second: " + " ".join(str(per_second.get(s, 0)) for s in range(int(span) + 1)))
