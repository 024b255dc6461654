#!/usr/bin/env bash
# Lifecycle events out (issue 23, R5), on this machine's PostgreSQL server:
#   S3 with and without a subscription: the BENCH_LIFECYCLE_SIZE-member list enrolled in one
#       request into a fresh journey [no steps], alternately into one a subscription to
#       enrollment.entered names and one it does not, BENCH_ROUNDS times each, on a service with
#       its runner and sender off (so no delivery competes with the enrolls): median with / median
#       without, target at most 1.2.
#   Deliveries: the service restarted with its sender on delivers the entered events of one of those
#       enrolls to a local receiver (bench/lib/Receiver.java, which answers 200 at once): calls per
#       second, against R1 measured the same way in the same run (a journey [webhook] on the same
#       receiver, the list enrolled): target at least 0.8.
# Contacts and the list are made in SQL (the benchmark is the outbox, not the seeding).
#   bench/lifecycle.sh target/journeys-service-0.1.0-SNAPSHOT.jar
#   BENCH_LIFECYCLE_SIZE=2000 BENCH_ROUNDS=1 bench/lifecycle.sh JAR     (a smoke run)
set -euo pipefail
jar=$1 size=${BENCH_LIFECYCLE_SIZE:-100000} rounds=${BENCH_ROUNDS:-3}
batch=${BENCH_RUNNER_BATCH:-100}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
db=journeys_lifecycle_$$ port=$(free_port) rport=$(free_port)
lib=$(cd "$(dirname "$0")/lib" && pwd)
admin=lifecycle-admin-$$-token-0123456789abcdef
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
java "$lib/Receiver.java" "$rport" 64 > "$work/receiver.log" 2>&1 &
rpid=$!
start_service() { # runner and sender enabled: true or false
  # shellcheck disable=SC2086
  SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
    JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$port JOURNEYS_RUNNER_POLL_INTERVAL=200ms JOURNEYS_RUNNER_ENABLED=$1 \
    JOURNEYS_RUNNER_BATCH_SIZE=$batch JOURNEYS_WEBHOOK_ALLOW_HTTP=true JOURNEYS_WEBHOOK_ALLOW_PRIVATE=true \
    java ${BENCH_JAVA_OPTS:-} -jar "$jar" >> "$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break; sleep 0.5; done
}
restart_service() {
  kill "$pid"; wait "$pid" 2>/dev/null || true
  start_service "$1"
}
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$rport/stats" && break; sleep 0.5; done

args=("$port" "$rport" "$admin" "$db" "$size" "$rounds" "$work" "$batch")
start_service false
python3 "$lib/lifecycle_bench.py" enroll "${args[@]}"
restart_service true
python3 "$lib/lifecycle_bench.py" deliver "${args[@]}"
