#!/bin/bash
# Usage: parallel-scorecards.sh BINARY PORT: the demo on a fresh embedded database, then for three
# months the scorecard of every team and region at once (14 requests), twice; prints per round
# the HTTP statuses and the slowest answer.
set -e
bin=$1 port=$2 dir=$(mktemp -d)
$bin serve --demo --listen 127.0.0.1:$port --data-dir $dir --log-level error > $dir/log 2>&1 &
pid=$!
for i in $(seq 1 90); do curl -sf 127.0.0.1:$port/readyz >/dev/null && break; sleep 1; done
api=127.0.0.1:$port/api/v1
token=$(curl -s $api/auth/login -H 'Content-Type: application/json' -d '{"email":"admin@demo.repflow.test","password":"repflow-demo-2026","client":"mobile"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["token"])')
get() { curl -s -H "Authorization: Bearer $token" "$api/$1"; }
units="$(get teams | python3 -c 'import sys,json;print(" ".join("team:"+u["id"] for u in json.load(sys.stdin)["teams"]))') $(get regions | python3 -c 'import sys,json;print(" ".join("region:"+u["id"] for u in json.load(sys.stdin)["regions"]))')"
for round in 1 2; do for p in 2026-11 2026-10 2026-09; do
  : > $dir/out
  pids=(); for u in $units; do curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -H "Authorization: Bearer $token" "$api/appraisal/unit-scorecard?unit=$u&period=$p" >> $dir/out & pids+=($!); done; wait "${pids[@]}"
  echo "$p: $(cut -d' ' -f1 $dir/out | sort | uniq -c | tr -s ' ' | tr '\n' ' ')slowest $(cut -d' ' -f2 $dir/out | sort -n | tail -1) s"
done; done
kill $pid; wait $pid 2>/dev/null || true; rm -rf $dir
