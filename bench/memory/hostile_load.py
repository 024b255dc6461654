# The load behind the memory figures of docs/reliability.md ("Memory"): against a running jar
# started with JOURNEYS_ADMIN_TOKEN=admintok and JOURNEYS_RATE_LIMIT_ENABLED=false, run
# `python3 bench/memory/hostile_load.py <port> <requests>` and read RSS with `ps -o rss= -p <pid>`.
import json, random, sys, urllib.request, concurrent.futures
port = int(sys.argv[1]); n = int(sys.argv[2])
B = f"http://127.0.0.1:{port}"
def call(method, path, token, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(B + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None: req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=120) as r: return r.status, r.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
s, b = call("POST", "/admin/v1/companies", "admintok", {"name": "load"}); c = json.loads(b)["id"]
s, b = call("POST", f"/admin/v1/companies/{c}/api_keys", "admintok", {"name": "k"}); t = json.loads(b)["token"]
s, b = call("POST", "/v1/journeys", t, {"name": "j"}); j = json.loads(b)["id"]
call("PATCH", f"/v1/journeys/{j}", t, {"state": "on"})
s, b = call("POST", "/v1/lists", t, {"name": "l", "email_address": "l@x.com"}); l = json.loads(b)["id"]
rnd = random.Random(7)
def one(i):
    k = i % 10
    if k == 0:
        return call("POST", "/v1/contacts/bulk", t, {"contacts": [{"email_address": f"u{i}-{x}@x.com", "first_name": "n" * 50} for x in range(10000)]})[0]
    if k == 1:
        return call("POST", f"/v1/lists/{l}/members", t, raw=b'{"contact_email_addresses":["' + b"a" * (15 * 1024 * 1024) + b'"]}')[0]
    if k == 2:
        return call("POST", f"/v1/lists/{l}/members", t, {"contact_email_addresses": [f"u{i-2}-{x}@x.com" for x in range(10000)]})[0]
    if k == 3:
        return call("POST", f"/v1/journeys/{j}/enroll", t, {"list_email_addresses": ["l@x.com"]})[0]
    if k == 4:
        return call("POST", "/v1/contacts", t, raw=bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 4000))))[0]
    return call("POST", f"/v1/journeys/{j}/enroll", t, {"contact_email_addresses": [f"u{i}-{x}@x.com" for x in range(1000)]})[0]
with concurrent.futures.ThreadPoolExecutor(8) as ex:
    statuses = list(ex.map(one, range(n)))
from collections import Counter; print(Counter(statuses))
