#!/usr/bin/env bash
# A/B of two lightbroker jars on the same NATS fan-out, alternating, server pinned to core 0 and
# the load generator to core 1 (needs 2 cores and taskset). For telling a regression from noise:
# run it twice and compare the spreads.
#
#   benchmarks/ab.sh OLD.jar NEW.jar [subscribers...]      (default subscribers: 100 10)
#   PAYLOAD=1024 ROUNDS=4 benchmarks/ab.sh ...              (payload bytes [16], rounds [2])
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OLD=${1:?old jar}; NEW=${2:?new jar}; shift 2
SUBS=("${@:-100 10}")
read -r -a SUBS <<<"${SUBS[*]}"
LG=(taskset -c 1 java -jar "$ROOT/benchmarks/target/loadgen.jar")
PORT=27511
for round in $(seq "${ROUNDS:-2}"); do
  for label in old new; do
    jar=$OLD; [[ $label == new ]] && jar=$NEW
    taskset -c 0 java -jar "$jar" --bind 127.0.0.1 --resp-port -1 --nats-port $PORT --admin-port -1 >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
    "${LG[@]}" --proto nats --port $PORT --scenario fanout --subscribers 10 --duration 3s >/dev/null 2>&1 || true
    for s in "${SUBS[@]}"; do
      printf 'round %s %s subs=%s: ' "$round" "$label" "$s"
      "${LG[@]}" --proto nats --port $PORT --scenario fanout --subscribers "$s" --payload "${PAYLOAD:-16}" --duration 2s | grep -o 'delivered_rate=[^ ]*'
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
