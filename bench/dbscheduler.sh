#!/usr/bin/env bash
# db-scheduler against the step runner (issue 10: "measure both on the runner benchmark"):
# bench/dbscheduler/ runs BENCH_RUNNER_SIZE one-time db-scheduler tasks, one per enrollment, due
# now, on this machine's PostgreSQL: "calls" signs and POSTs a webhook body to the same receiver
# as bench/runner.sh's R1 (bench/lib/Receiver.java) and completes its row; "updates" only
# completes its row (R2's wait that falls due). Compare with bench/runner.sh run just before.
#   bench/dbscheduler.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size=${BENCH_RUNNER_SIZE:-100000} threads=${BENCH_DBSCHEDULER_THREADS:-100}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
db=journeys_dbscheduler_$$ rport=$(free_port)
jar=bench/dbscheduler/target/dbscheduler.jar
if [ ! -f "$jar" ]; then ./mvnw -q -f bench/dbscheduler/pom.xml -DskipTests package; fi
psql -X -q -d postgres -c "create database $db"
cleanup() {
  if [ -n "${rpid:-}" ]; then kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true; fi
  psql -X -q -d postgres -c "drop database if exists $db with (force)"
}
trap cleanup EXIT
java bench/lib/Receiver.java "$rport" 64 > /dev/null 2>&1 &
rpid=$!
for _ in $(seq 1 60); do curl -s -o /dev/null "http://127.0.0.1:$rport/stats" && break; sleep 0.5; done
for mode in calls updates; do
  java -jar "$jar" "jdbc:postgresql://127.0.0.1:${PGPORT:-5432}/$db" "${PGUSER:-postgres}" \
    "http://127.0.0.1:$rport/hook" "$size" "$threads" "$mode" 2>/dev/null | grep '^db-scheduler'
done
