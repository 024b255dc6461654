#!/usr/bin/env bash
# The step runner's benchmark (issue 10, R1 and R2), on this machine's PostgreSQL server:
#   R1: BENCH_RUNNER_SIZE enrollments in a journey [webhook] called on a local receiver
#       (bench/lib/Receiver.java, which answers 200 at once) and completed: deliveries per second,
#       against a bare Java client (bench/lib/WebhookFloor.java: the service's Apache HttpClient 5,
#       as many connections as the runner's batch, the runner's headers, signature and body size)
#       POSTing to the same receiver for BENCH_DURATION s; wrk doing the same is a reference row.
#       A warm-up journey calls the whole list first, not counted (a cold JVM spends half its CPU
#       compiling). The CPU each call costs is printed by process (service, PostgreSQL, receiver;
#       the floor's client over its counted seconds): on a machine the floor fills, the floor's CPU
#       per call over the runner's is the most R1 can reach.
#   R2: BENCH_RUNNER_SIZE enrollments on a wait that falls due at once, completed by the runner:
#       the runner's statement (its log line) against the same UPDATE in psql, run
#       BENCH_ROUNDS times in a transaction rolled back, on the same rows just before.
#   R3: the runner's lag (journeys_runner_lag_seconds, sampled every 0.25 s) while wrk enrolls one
#       contact per request (bench/lib/enroll.lua) into a journey [wait 1 s] for BENCH_DURATION s;
#       and S3 (the whole list enrolled in one request, median of BENCH_ROUNDS) with the runner on,
#       then again after a restart with JOURNEYS_RUNNER_ENABLED=false.
# Contacts and the list are made in SQL (the benchmark is the runner, not the seeding).
#   bench/runner.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
for tool in java psql wrk unzip curl python3; do # wrk: R1's reference row and R3's load
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: missing $tool (apt-get install wrk postgresql-client unzip curl python3)" >&2; exit 1; }
done
jar=$1 size=${BENCH_RUNNER_SIZE:-100000} rounds=${BENCH_ROUNDS:-3} duration=${BENCH_DURATION:-10}
batch=${BENCH_RUNNER_BATCH:-100}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
db=journeys_runner_$$ port=$(free_port) rport=$(free_port)
lib=$(cd "$(dirname "$0")/lib" && pwd)
admin=runner-admin-$$-token-0123456789abcdef
work=$(mktemp -d)
psql -X -q -d postgres -c "create database $db"
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${rpid:-}" ]; then kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true; fi
  psql -X -q -d postgres -c "drop database if exists $db with (force)"
  if [ -n "${BENCH_KEEP_LOG:-}" ]; then cp "$work/service.log" "$BENCH_KEEP_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT
# the floor's classpath: the HTTP client the service runs, from its own jar
mkdir "$work/floor"
unzip -q -j "$jar" 'BOOT-INF/lib/httpclient5-*.jar' 'BOOT-INF/lib/httpcore5-*.jar' 'BOOT-INF/lib/slf4j-api-*.jar' -d "$work/floor"
java "$lib/Receiver.java" "$rport" 256 > "$work/receiver.log" 2>&1 &
rpid=$!
start_service() { # runner enabled: true or false
  # shellcheck disable=SC2086
  SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
    JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$port JOURNEYS_RUNNER_POLL_INTERVAL=200ms JOURNEYS_RUNNER_ENABLED=$1 \
    JOURNEYS_RUNNER_BATCH_SIZE=$batch JOURNEYS_WEBHOOK_ALLOW_HTTP=true JOURNEYS_WEBHOOK_ALLOW_PRIVATE=true \
    java ${BENCH_JAVA_OPTS:-} -jar "$jar" >> "$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break; sleep 0.5; done
}
start_service true
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$rport/stats" && break; sleep 0.5; done

args=("$port" "$rport" "$admin" "$db" "$size" "$rounds" "$duration" "$work" "$batch" "$lib")
BENCH_SERVICE_PID=$pid BENCH_RECEIVER_PID=$rpid python3 "$lib/runner_bench.py" main "${args[@]}"
# S3 again with the runner off: the same service, restarted with JOURNEYS_RUNNER_ENABLED=false
kill "$pid"; wait "$pid" 2>/dev/null || true
start_service false
BENCH_SERVICE_PID=$pid BENCH_RECEIVER_PID=$rpid python3 "$lib/runner_bench.py" off "${args[@]}"
