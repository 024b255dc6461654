#!/usr/bin/env bash
# One Citus worker stopped under steady enroll load (issue 24), on CI's 3-node harness
# (../shared/citus, or JOURNEYS_CITUS_HARNESS; it is not part of a clone):
#   16 companies, one-email enrolls for 5 whose shards live on worker 9701 and 5 on 9702 from
#   BENCH_CLIENTS threads; after BENCH_WARMUP s worker 9701 is stopped (pg_ctl -m immediate) for
#   BENCH_DOWN s, then started, and the load goes on BENCH_AFTER s. bench/lib/worker_down.py prints
#   per phase and side: requests, 200/503, p50/p99; the coordinator's new sessions a second; the
#   first 503 after the stop and the first 200 after the start; and checks that every 200 is stored
#   and nothing refused is. Then the service log's lines while the worker was down.
#   bench/citus_worker_down.sh target/journeys-service-0.1.0-SNAPSHOT.jar [result.md]
set -euo pipefail
jar=$1 out=${2:-}
harness=${JOURNEYS_CITUS_HARNESS:-$(dirname "$0")/../../shared/citus}
dir=${CITUS_DIR:-/tmp/journeys-citus}
lib=$(cd "$(dirname "$0")/lib" && pwd)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
admin=wd-admin-$$-token-0123456789abcdef
work=$(mktemp -d)
bash "$harness/install.sh" > /dev/null
bash "$harness/cluster.sh" up journeys_wd > /dev/null
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  bash "$harness/cluster.sh" stop > /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9700/journeys_wd SPRING_DATASOURCE_USERNAME=postgres \
  JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$port JOURNEYS_RATE_LIMIT_CAPACITY=100000 \
  java -jar "$jar" > "$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 90); do curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null && break; sleep 1; done
pg_ctl_w1="runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D $dir/w1"
{
  echo "# One Citus worker down under enroll load ($(date -u +%Y-%m-%d), $(git -C "$(dirname "$0")" rev-parse --short HEAD))"
  echo
  echo "\`bench/citus_worker_down.sh\`: ${BENCH_CLIENTS:-8} clients, worker 9701 stopped (\`pg_ctl -m immediate\`)"
  echo "for ${BENCH_DOWN:-60} s after ${BENCH_WARMUP:-20} s, then ${BENCH_AFTER:-20} s more; \"stopped\" are the 5 companies"
  echo "whose shards live on 9701, \"other\" the 5 on 9702. A phase holds the requests that started in it."
  echo
  STOP_CMD="$pg_ctl_w1 -m immediate stop" START_CMD="$pg_ctl_w1 -l $dir/w1.log -o '-p 9701' -w start" \
    CLIENTS=${BENCH_CLIENTS:-8} WARMUP=${BENCH_WARMUP:-20} DOWN=${BENCH_DOWN:-60} AFTER=${BENCH_AFTER:-20} \
    STATS_FILE=$work/down.txt python3 "$lib/worker_down.py" "http://127.0.0.1:$port" "$admin" \
    "postgresql://postgres@127.0.0.1:9700/journeys_wd" 9701 9702 | grep -v "^waiting for\|^server st\|^ done"
  read -r from to < "$work/down.txt"
  python3 - "$work/service.log" "$from" "$to" <<'PY'
import re, sys
log, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
lines = [l for l in open(log, errors="replace")]
def at(line):
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)Z", line)
    return m.group(1) if m else None
inside, current = [], None
for line in lines:
    t = at(line)
    if t:
        current = t
    if current and start <= current <= end:
        inside.append(line)
warn = [l for l in inside if re.search(r"^\S+ +(WARN|ERROR) ", l)]
stack = [l for l in inside if l.startswith("\tat ")]
requests = [l for l in inside if "RequestLogFilter" in l]
refused = [l for l in requests if "status=503" in l]
print()
print(f"service log while the worker was down: {len(inside)} lines, {len(requests)} request lines "
      f"({len(refused)} of 503s), {len(warn)} WARN/ERROR lines, {len(stack)} stack-trace frames")
for l in sorted(set(re.sub(r"^\S+ +(\w+) +\[[^]]*\] \d+ --- \[[^]]*\] \[[^]]*\] ", r"\1 ", l).strip()[:220] for l in warn))[:6]:
    print("  e.g. " + l)
PY
} | tee "${out:-/dev/null}"
