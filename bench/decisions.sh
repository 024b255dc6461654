#!/usr/bin/env bash
# Journeys that decide (issue 22), on this machine's PostgreSQL server:
#   D1: BENCH_DECIDE_SIZE enrollments at a branch of three cases on an attribute (plan pro, team,
#       free) at once: the runner's three statements (their log lines) against the same three UPDATEs
#       in psql on the same rows just before (in a transaction rolled back, median of BENCH_ROUNDS).
#   D2: BENCH_DECIDE_SIZE enrollments over 400 time zones entering a wait_until 09:00 at once: the
#       runner's scheduling (its log line: the zones read, the due times computed, one UPDATE)
#       against one UPDATE with AT TIME ZONE in psql on the same rows; then how many are due in the
#       busiest second, with spread PT15M and without.
# Contacts and enrollments are made in SQL (the benchmark is the runner, not the seeding).
#   bench/decisions.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
jar=$1 size=${BENCH_DECIDE_SIZE:-100000} rounds=${BENCH_ROUNDS:-3}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
db=journeys_decide_$$ port=$(free_port)
lib=$(cd "$(dirname "$0")/lib" && pwd)
admin=decide-admin-$$-token-0123456789abcdef
work=$(mktemp -d)
psql -X -q -d postgres -c "create database $db"
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -z "${BENCH_KEEP_DB:-}" ]; then psql -X -q -d postgres -c "drop database if exists $db with (force)"; else echo "kept database $db"; fi
  if [ -n "${BENCH_KEEP_LOG:-}" ]; then cp "$work/service.log" "$BENCH_KEEP_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT
# shellcheck disable=SC2086
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
  JOURNEYS_ADMIN_TOKEN=$admin SERVER_PORT=$port JOURNEYS_RUNNER_POLL_INTERVAL=200ms \
  java ${BENCH_JAVA_OPTS:-} -jar "$jar" >> "$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/actuator/health" && break; sleep 0.5; done
python3 "$lib/decisions_bench.py" "$port" "$admin" "$db" "$size" "$rounds" "$work"
