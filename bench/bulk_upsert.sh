#!/usr/bin/env bash
# Times bulk upserts of 10,000 contacts on a packaged service jar, on a fresh database of the local
# PostgreSQL server: bench/bulk_upsert.sh target/journeys-service-0.1.0-SNAPSHOT.jar
set -euo pipefail
jar=$1 db=journeys_bulk_$$ port=${BENCH_PORT:-18555}
psql -X -q -d postgres -c "create database $db"
SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/$db SPRING_DATASOURCE_USERNAME=postgres \
  JOURNEYS_ADMIN_TOKEN=bulk-admin SERVER_PORT=$port java -jar "$jar" > "/tmp/$db.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; psql -X -q -d postgres -c "drop database $db with (force)"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break; sleep 0.5; done
python3 "$(dirname "$0")/lib/bulk_upsert.py" "$port" bulk-admin
