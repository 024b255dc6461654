#!/usr/bin/env python3
"""Times POST /v1/contacts/bulk with 10,000 new contacts: 14 requests, the first 4 as warm-up.
Arguments: port, admin token."""
import http.client, json, sys, time
port, admin = int(sys.argv[1]), sys.argv[2]
def call(method, path, body, token):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request(method, path, json.dumps(body), {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close()
    assert r.status in (200, 201), (r.status, data[:200])
    return json.loads(data)
company = call("POST", "/admin/v1/companies", {"name": "b"}, admin)["id"]
token = call("POST", f"/admin/v1/companies/{company}/api_keys", {"name": "k"}, admin)["token"]
times = []
for i in range(14):
    batch = [{"email_address": f"x{i}_{n}@bench.example.com", "first_name": "F", "last_name": "L"} for n in range(10000)]
    t = time.perf_counter(); call("POST", "/v1/contacts/bulk", {"contacts": batch}, token); times.append((time.perf_counter() - t) * 1000)
times = sorted(times[4:])
print(f"bulk 10k: median {times[len(times)//2]:.0f} ms, min {times[0]:.0f} ms")
