#!/usr/bin/env bash
# Events benchmark (journeys spec sections 2-3): the packaged service on a fresh database, each
# measurement against its reference taken in the same run, on the same PostgreSQL server.
#
#   bench/events.sh           full size (100,000 contacts, 200 batches of 1,000 events), several minutes
#   bench/events.sh --tiny    smoke size (20,000 contacts, 20 batches), about 1 minute on the 2-CPU dev machine
#
#   E1 ingest: POST /v1/events, batches of 1,000 events by BENCH_CLIENTS clients, against the lean
#      floor (psql clients inserting the same rows into one table with the key index) -> events/s
#   E2 goal exits: converted events for enrolled contacts (in a wait, or at a webhook step retrying),
#      time from each batch's answer to its exits being visible -> p50/p99/max, every exit once
#   E3 triggers: signed_up events enroll fresh contacts, against POST /v1/journeys/{id}/enroll
#      of 1,000 emails per request -> enrollments/s
# Needs a JDK 17+, a PostgreSQL 13+ server (PGHOST/PGPORT/PGUSER/PGPASSWORD, default
# 127.0.0.1:5432 postgres, a superuser), psql, curl and python3. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LIB="$ROOT/bench/lib"

MODE=full
for arg in "$@"; do
  case "$arg" in
    --tiny) MODE=tiny ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

# Sizes: every one can be overridden from the environment.
if [ "$MODE" = tiny ]; then
  : "${BENCH_EVENTS_CONTACTS:=20000}" "${BENCH_E1_BATCHES:=20}" "${BENCH_E1_WARMUP:=3}"
  : "${BENCH_E2_ENROLLMENTS:=10000}" "${BENCH_E2_EVENTS:=1000}" "${BENCH_E3_SIZE:=2000}"
  : "${BENCH_RESULTS:=bench/results/latest-events-tiny.md}"
else
  : "${BENCH_EVENTS_CONTACTS:=100000}" "${BENCH_E1_BATCHES:=200}" "${BENCH_E1_WARMUP:=10}"
  : "${BENCH_E2_ENROLLMENTS:=100000}" "${BENCH_E2_EVENTS:=10000}" "${BENCH_E3_SIZE:=10000}"
  : "${BENCH_RESULTS:=bench/results/latest-events.md}"
fi
: "${BENCH_CLIENTS:=4}" "${BENCH_SEED:=42}" "${BENCH_E2_POLL_MS:=10}" "${BENCH_E2_FIRST_RETRY:=1h}"
: "${BENCH_JAVA_OPTS=-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=15000}"
: "${BENCH_KEEP_DB:=0}" "${BENCH_REBUILD:=0}" "${BENCH_ENFORCE_TARGETS:=0}"
export BENCH_EVENTS_CONTACTS BENCH_E1_BATCHES BENCH_E1_WARMUP BENCH_E2_ENROLLMENTS BENCH_E2_EVENTS \
  BENCH_E3_SIZE BENCH_CLIENTS BENCH_SEED BENCH_E2_POLL_MS BENCH_E2_FIRST_RETRY BENCH_ENFORCE_TARGETS

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

say() { echo "[bench $(date +%H:%M:%S)] $*"; }
die() { echo "bench: $*" >&2; exit 1; }

missing=()
for tool in java psql curl python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install postgresql-client curl python3 (and a JDK 17+)"
pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "no PostgreSQL server answers at $PGHOST:$PGPORT"

JAR=$(ls target/journeys-service-*.jar 2>/dev/null | grep -v -e '\.original$' -e plain | head -1 || true)
if [ -z "$JAR" ] || [ "$BENCH_REBUILD" = 1 ]; then
  say "building the jar (./mvnw -q -DskipTests package)"
  ./mvnw -q -DskipTests package
  JAR=$(ls target/journeys-service-*.jar | grep -v -e '\.original$' -e plain | head -1)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/journeys-events-bench.XXXXXX")
export BENCH_WORK="$WORK"
# A private copy of the jar: a rebuild of target/ during the run must not pull it from under the service.
cp "$JAR" "$WORK/service.jar"
DB="bench_events_$(date +%Y%m%d_%H%M%S)_$$"
export BENCH_DB="$DB"
SERVICE_PID=""
BG_PIDS=()
DB_CREATED=0

cleanup() {
  local rc=$?
  set +e
  for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID"
    for _ in $(seq 1 60); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$SERVICE_PID" 2>/dev/null && kill -KILL "$SERVICE_PID"
    wait "$SERVICE_PID" 2>/dev/null
  fi
  if [ "$rc" -ne 0 ] && [ -f "$WORK/service.log" ]; then
    echo "---- last lines of the service log" >&2
    tail -n 40 "$WORK/service.log" >&2
  fi
  if [ "$DB_CREATED" = 1 ]; then
    if [ "$BENCH_KEEP_DB" = 1 ]; then
      say "kept database $DB (BENCH_KEEP_DB=1); drop it with: psql -d postgres -c 'drop database $DB'"
    else
      psql -X -q -d postgres -c "drop database if exists $DB with (force)" >/dev/null
    fi
  fi
  if [ "${BENCH_KEEP_WORK:-0}" = 1 ]; then say "kept work directory $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ------------------------------------------------------------------------------------------ start
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "create database $DB"
DB_CREATED=1
PORT=$(free_port)
RECEIVER_PORT=$(free_port)
export BENCH_SERVICE_PORT=$PORT BENCH_RECEIVER_PORT=$RECEIVER_PORT
BASE="http://127.0.0.1:$PORT"
BENCH_ADMIN_TOKEN="bench-admin-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export BENCH_ADMIN_TOKEN

# E2's webhook steps call a receiver that answers 500 at once: their enrollments stay at the step,
# retrying (the first retry after BENCH_E2_FIRST_RETRY, so that none is in flight while E2 measures).
java "$LIB/Receiver.java" "$RECEIVER_PORT" 16 500 > "$WORK/receiver.log" 2>&1 &
BG_PIDS+=($!)

say "mode $MODE: database $DB, service $JAR on port $PORT, receiver (500) on port $RECEIVER_PORT"
# The runner is on (it starts E2's enrollments and applies events); http and loopback webhooks allowed.
# shellcheck disable=SC2086
SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" SPRING_DATASOURCE_USERNAME="$PGUSER" \
  SPRING_DATASOURCE_PASSWORD="${PGPASSWORD:-}" JOURNEYS_ADMIN_TOKEN="$BENCH_ADMIN_TOKEN" SERVER_PORT="$PORT" \
  JOURNEYS_RUNNER_ENABLED=true JOURNEYS_WEBHOOK_ALLOW_HTTP=true JOURNEYS_WEBHOOK_ALLOW_PRIVATE=true \
  JOURNEYS_WEBHOOK_FIRST_RETRY="$BENCH_E2_FIRST_RETRY" \
  java $BENCH_JAVA_OPTS -jar "$WORK/service.jar" > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
export BENCH_SERVICE_PID=$SERVICE_PID
started=$(date +%s.%N)
for _ in $(seq 1 240); do
  curl -sf "$BASE/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service died at start"
  sleep 0.5
done
curl -sf "$BASE/actuator/health" >/dev/null || die "the service did not become healthy in 120 s"
say "service up (pid $SERVICE_PID) in $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s"
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$RECEIVER_PORT/stats" && break; sleep 0.5; done
curl -sf -o /dev/null "http://127.0.0.1:$RECEIVER_PORT/stats" || die "the webhook receiver did not start"

# ---------------------------------------------------------------------------------------- machine
{
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); mode \`$MODE\`"
  echo "- Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory, $(uname -sr)"
  echo "- Java: $(java -version 2>&1 | sed -n 2p)${BENCH_JAVA_OPTS:+, options \`$BENCH_JAVA_OPTS\`}"
  echo "- PostgreSQL server: $(psql -X -Atc 'select version()' -d postgres | cut -d, -f1); $(psql -X -Atc "select string_agg(name || '=' || setting || coalesce(unit, ''), ', ' order by name) from pg_settings where name in ('autovacuum', 'shared_buffers', 'synchronous_commit', 'max_wal_size', 'work_mem')" -d postgres)"
  stale=$(find src pom.xml -newer "$JAR" -type f -print -quit 2>/dev/null || true)
  echo "- Service: $(basename "$JAR") built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC') in a tree at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)${stale:+; src/ or pom.xml changed since the jar was built (BENCH_REBUILD=1 rebuilds it)}; pool size ${JOURNEYS_DB_POOL_SIZE:-10}; runner on, webhook first retry $BENCH_E2_FIRST_RETRY"
  echo "- Sizes: $BENCH_EVENTS_CONTACTS contacts; E1 $BENCH_E1_BATCHES batches of 1,000 events (warm-up $BENCH_E1_WARMUP) by $BENCH_CLIENTS clients; E2 $BENCH_E2_ENROLLMENTS enrollments over 10 journeys, $BENCH_E2_EVENTS goal events (poll every $BENCH_E2_POLL_MS ms); E3 $BENCH_E3_SIZE triggered and $BENCH_E3_SIZE enrolled"
  echo "- Load average (1, 5, 15 min) before seeding: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$WORK/machine.md"
cat "$WORK/machine.md"

# The share of the CPUs used by this run, the PostgreSQL server and anything else, every 5 s (bench.py).
python3 "$LIB/bench.py" sampler --root $$ --server-prefix "${BENCH_SERVER_EXE_PREFIX:-/usr/lib/postgresql/}" \
  > "$WORK/cpu.txt" 2>/dev/null &
BG_PIDS+=($!)
busy() { awk -v n="$(nproc)" '{ exit !($1 > n / 2) }' /proc/loadavg; }
for ((waited = 0; waited < ${BENCH_WAIT_IDLE:-0}; waited += 5)); do busy || break; sleep 5; done
if busy; then
  say "WARNING: load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs: other work is running, figures will be noisy"
fi

# ------------------------------------------------------------------------------------ measurements
python3 "$LIB/events_bench.py" run

# ----------------------------------------------------------------------------------------- report
echo "- Load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/machine.md"
mkdir -p "$(dirname "$BENCH_RESULTS")"
set +e
python3 "$LIB/events_bench.py" report --out "$BENCH_RESULTS" --machine "$WORK/machine.md" --title "$MODE size"
status=$?
set -e
say "written to $BENCH_RESULTS"
case $status in
  0) ;;
  3) die "some requests failed or a check did not hold (see PROBLEM lines)" ;;
  4) die "some targets were missed (BENCH_ENFORCE_TARGETS=1)" ;;
  *) exit "$status" ;;
esac
