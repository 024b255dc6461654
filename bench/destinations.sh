#!/usr/bin/env bash
# R4 (issue 23): one destination at max_per_second BENCH_LIMIT (200), two service instances on one
# database, BENCH_CALLS (10,000) due calls. The receiver (in bench/lib/destinations_bench.py) keeps
# every call's arrival time; the table gives the busiest 1 s and 10 s windows (sliding, and by
# calendar second) and the time from the first call to the last, against calls / limit.
# Contacts and the list are made in SQL; the journey, the limit and the enroll go through the API.
#   bench/destinations.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
jar=$1 calls=${BENCH_CALLS:-10000} limit=${BENCH_LIMIT:-200}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
db=journeys_destinations_$$ port_a=$(free_port) port_b=$(free_port) rport=$(free_port)
lib=$(cd "$(dirname "$0")/lib" && pwd)
admin=destinations-admin-$$-token-0123456789abcdef
work=$(mktemp -d)
psql -X -q -d postgres -c "create database $db"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  psql -X -q -d postgres -c "drop database if exists $db with (force)"
  if [ -n "${BENCH_KEEP_LOG:-}" ]; then cp "$work"/service-*.log "$BENCH_KEEP_LOG"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
start_service() { # port name
  # shellcheck disable=SC2086
  SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
    JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$1 JOURNEYS_WEBHOOK_ALLOW_HTTP=true JOURNEYS_WEBHOOK_ALLOW_PRIVATE=true \
    java ${BENCH_JAVA_OPTS:-} -jar "$jar" >> "$work/service-$2.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$1/actuator/health" && break; sleep 0.5; done
}
start_service "$port_a" a   # the first migrates the schema
start_service "$port_b" b
python3 "$lib/destinations_bench.py" "$port_a" "$port_b" "$rport" "$admin" "$db" "$calls" "$limit"
