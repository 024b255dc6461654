"""Lifecycle events out (bench/lifecycle.sh): `enroll` seeds and measures S3 with and without a
subscription to enrollment.entered (sender off); `deliver` measures the sending of one enroll's
events (after another's, as a warm-up) and R1 on the same receiver, and prints the table."""
import json, re, subprocess, sys, time, urllib.request

phase, port, rport, admin, db, size, rounds, work, batch = sys.argv[1:10]
size, rounds = int(size), int(rounds)
LIST = "everyone@l.example.com"

def call(method, path, token, body=None, base=None):
    request = urllib.request.Request((base or f"http://127.0.0.1:{port}") + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        raw = answer.read()
        return json.loads(raw) if raw else None

def receiver(path, method="GET"):
    return call(method, path, "", base=f"http://127.0.0.1:{rport}")

def sql(text):
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db], input=text,
                          capture_output=True, text=True, check=True).stdout

def scalar(text):
    return int(subprocess.run(["psql", "-X", "-Atq", "-d", db, "-c", text], capture_output=True, text=True, check=True).stdout.strip())

def journey(token, name, steps=None):
    made = call("POST", "/v1/journeys", token, {"name": name} if steps is None else {"name": name, "steps": steps})
    call("PATCH", f"/v1/journeys/{made['id']}", token, {"state": "on"})
    return made["id"]

def enroll_ms(token, journey_id):
    start = time.monotonic()
    answer = call("POST", f"/v1/journeys/{journey_id}/enroll", token, {"list_email_addresses": [LIST]})
    assert answer["enrolled_count"] == size, answer
    return (time.monotonic() - start) * 1000

def await_calls(count, what, then_reset=False):
    start = time.monotonic()
    while receiver("/stats")["count"] < count:
        time.sleep(0.2)
        if time.monotonic() - start > 1800:
            sys.exit(f"{what}: not all sent within 30 minutes")
    stats = receiver("/stats")
    if then_reset:
        receiver("/reset", "POST")
    return stats["count"] / ((stats["last_ns"] - stats["first_ns"]) / 1e9), time.monotonic() - start, stats["count"], stats

if phase == "enroll":
    company = call("POST", "/admin/v1/companies", admin, {"name": "L"})["id"]
    token = call("POST", f"/admin/v1/companies/{company}/api_keys", admin, {"name": "l"})["token"]
    call("POST", "/v1/lists", token, {"name": "everyone", "email_address": LIST})
    sql(f"""insert into contacts (company_id, id, email_address, first_name, status, created_at, updated_at)
    select '{company}', gen_random_uuid(), 'u' || n || '@bench.example.com', 'User', 'active', now(), now() from generate_series(0, {size} - 1) n;
    insert into list_members (company_id, list_id, contact_id, added_at)
    select c.company_id, l.id, c.id, now() from contacts c join lists l on l.company_id = c.company_id where c.company_id = '{company}';
    vacuum analyze;""")
    plain = [journey(token, f"plain {i}") for i in range(rounds + 1)]
    watched = [journey(token, f"watched {i}") for i in range(rounds + 2)]  # the last one for the deliver phase
    call("POST", "/v1/subscriptions", token, {"url": f"http://127.0.0.1:{rport}/hook",
                                              "event_types": ["enrollment.entered"], "journey_ids": watched})
    enroll_ms(token, plain[0])  # a warm-up of each kind, not counted
    enroll_ms(token, watched[0])
    without, with_ = [], []
    def measured(kind, journey_id):
        # what autovacuum would do, and a checkpoint: each enroll starts from the same state
        sql("vacuum analyze enrollments; vacuum analyze lifecycle_entered_blocks; checkpoint;")
        kind.append(enroll_ms(token, journey_id))
    for i in range(1, rounds + 1):  # pairs alternate which side goes first
        if i % 2:
            measured(without, plain[i]); measured(with_, watched[i])
        else:
            measured(with_, watched[i]); measured(without, plain[i])
    # each enroll wrote one block (expanded into its deliveries by the sender): the events it stands for
    events = scalar(f"""select count(*) from lifecycle_entered_blocks b
        join enrollments e on e.company_id = b.company_id and e.id between b.first_enrollment_id and b.last_enrollment_id
             and e.enrolled_at = b.occurred_at and e.journey_id = b.journey_id
        where b.company_id = '{company}'""")
    assert events == size * (rounds + 1), events
    # one enroll's events are left to send, to warm the sender up; the measured ones are enrolled then
    sql(f"delete from lifecycle_entered_blocks where company_id = '{company}' and journey_id <> '{watched[-2]}'; vacuum analyze lifecycle_entered_blocks;")
    median = lambda values: sorted(values)[len(values) // 2]
    with open(f"{work}/enroll.json", "w") as saved:
        json.dump({"token": token, "company": company, "without": without, "with": with_, "measured": watched[-1],
                   "ratio": median(with_) / median(without)}, saved)
else:
    saved = json.load(open(f"{work}/enroll.json"))
    token, company = saved["token"], saved["company"]
    receiver("/reset", "POST")
    await_calls(size, "deliveries (warm-up)", then_reset=True)
    # an enroll while the sender runs: its block is expanded, then its deliveries sent
    enroll_ms(token, saved["measured"])
    answered = time.monotonic()  # CLOCK_MONOTONIC, as the receiver's System.nanoTime
    lifecycle_rate, _, _, stats = await_calls(size, "deliveries")
    from_answer = stats["last_ns"] / 1e9 - answered
    time.sleep(1)
    delivered = scalar(f"select count(*) from lifecycle_deliveries where company_id = '{company}' and status = 'delivered'")
    assert delivered == 2 * size, delivered
    receiver("/reset", "POST")
    hook = journey(token, "R1", [{"type": "webhook", "url": f"http://127.0.0.1:{rport}/hook"}])
    call("POST", f"/v1/journeys/{hook}/enroll", token, {"list_email_addresses": [LIST]})
    r1_rate, _, _, _ = await_calls(size, "R1")
    median = lambda values: sorted(values)[len(values) // 2]
    print("| | scenario | service | floor | ratio | target |")
    print("|---|---|---|---|---|---|")
    print(f"| R5 | S3 ({size:,} members, one request) into a journey a subscription to enrollment.entered names, against one it does not, pairs alternating which goes first, each after a vacuum and a checkpoint, median of {rounds} | "
          f"with: {median(saved['with']):,.0f} ms ({', '.join(f'{t:,.0f}' for t in saved['with'])}) | "
          f"without: {median(saved['without']):,.0f} ms ({', '.join(f'{t:,.0f}' for t in saved['without'])}) | {saved['ratio']:.2f} | at most 1.2 |")
    print(f"| R5 | the {size:,} enrollment.entered events of one enroll, made while the sender runs (after another's sent, as a warm-up), batch {batch}: first to last call | {lifecycle_rate:,.0f} calls/s | "
          f"R1 in the same run: {r1_rate:,.0f} calls/s | {lifecycle_rate / r1_rate:.2f} | at least 0.8 |")
    print(f"| R5 | the same, from the enroll's answer to the last call (the block's expansion included) | {size / from_answer:,.0f} calls/s ({from_answer:.1f} s) | "
          f"R1 in the same run: {r1_rate:,.0f} calls/s | {size / from_answer / r1_rate:.2f} | |")
