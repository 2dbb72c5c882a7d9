#!/usr/bin/env bash
# Side-by-side end-to-end comparison: lightbroker vs redis-server 7 vs nats-server 2.9.
#
# Starts each server on a free loopback port, warms each one up with an untimed fan-out and the
# two latency patterns, runs the standard scenario set against each one (targets interleaved
# within every case, in reverse order on even repetitions, the whole set repeated), then prints a
# markdown table
# of medians with min–max spread and the ratios lightbroker / nats-server and
# lightbroker / redis-server. Raw JSON lines go to a results file.
#
# Everything it starts it kills on exit. Every load-generator run is bounded (duration, drain,
# hard timeout inside the generator, and `timeout` around it).
#
# usage: benchmarks/compare.sh [options]
#   --quick               tiny subset for smoke checks (1 repetition, 1 s runs)
#   --pin                 servers on core 0, load generator on core 1 (taskset)
#   --repeat N            repetitions of the whole set [3]
#   --duration T          publishing time per throughput run [2s]
#   --connections N       idle connections for the connections scenario [2000]; 10000 needs ulimit -n > 10100
#   --lightbroker-jar F   lightbroker's runnable jar [deploy/target/lightbroker.jar]
#   --no-lightbroker      only redis-server and nats-server
#   --leaf                also the cross-node cases: publish on one leaf node, receive on another,
#                         through one nats-server hub; lightbroker leaves against nats-server leaves
#                         (reported as lightbroker-nats and nats-server in the leaf-* rows)
#   --leaf-only           only the cross-node cases
#   --cases REGEX         only the standard cases whose names match (bash regex), e.g. '^latency'
#                         to repeat the latency cases more often than the whole set allows
#   --out FILE            raw JSON lines [benchmarks/target/compare-<time>.jsonl]; the table goes to FILE.md
#   --help
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOADGEN_JAR=$ROOT/benchmarks/target/loadgen.jar
LB_JAR=$ROOT/deploy/target/lightbroker.jar
QUICK=0
PIN=0
REPEAT=""
DURATION=""
CONNECTIONS=""
USE_LB=1
OUT=""
LEAF=0
STANDARD=1
ONLY=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "compare.sh: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --pin) PIN=1 ;;
    --repeat) REPEAT=${2:?--repeat needs N}; shift ;;
    --duration) DURATION=${2:?--duration needs a time}; shift ;;
    --connections) CONNECTIONS=${2:?--connections needs N}; shift ;;
    --lightbroker-jar) LB_JAR=${2:?--lightbroker-jar needs a file}; shift ;;
    --no-lightbroker) USE_LB=0 ;;
    --leaf) LEAF=1 ;;
    --leaf-only) LEAF=1; STANDARD=0 ;;
    --cases) ONLY=${2:?--cases needs a regex}; shift ;;
    --out) OUT=${2:?--out needs a file}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
# --quick changes the defaults, not what was asked for explicitly.
if [[ $QUICK == 1 ]]; then
  REPEAT=${REPEAT:-1} DURATION=${DURATION:-1s} CONNECTIONS=${CONNECTIONS:-200} WARMUP=1s
else
  REPEAT=${REPEAT:-3} DURATION=${DURATION:-2s} CONNECTIONS=${CONNECTIONS:-2000} WARMUP=3s
fi
[[ $REPEAT =~ ^[0-9]+$ && $REPEAT -ge 1 ]] || die "--repeat must be a positive integer"
[[ $CONNECTIONS =~ ^[0-9]+$ && $CONNECTIONS -ge 1 ]] || die "--connections must be a positive integer"

for bin in redis-server nats-server java; do
  command -v "$bin" >/dev/null || die "$bin not found on PATH"
done
if [[ $PIN == 1 ]]; then
  command -v taskset >/dev/null || die "--pin needs taskset (util-linux)"
  [[ $(nproc) -ge 2 ]] || die "--pin needs at least 2 cores, this machine has $(nproc)"
  SERVER_CPU=(taskset -c 0)
  CLIENT_CPU=(taskset -c 1)
else
  SERVER_CPU=()
  CLIENT_CPU=()
fi

# The connections scenario needs one descriptor per connection on both sides.
want_fds=$((CONNECTIONS + 512))
if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt $want_fds ]]; then
  ulimit -n "$want_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  if [[ $(ulimit -n) != unlimited && $(ulimit -n) -lt $want_fds ]]; then
    echo "compare.sh: warning: ulimit -n is $(ulimit -n) (hard $(ulimit -Hn)); --connections $CONNECTIONS needs $want_fds; that scenario will report the error" >&2
  fi
fi

if [[ ! -f $LOADGEN_JAR ]]; then
  echo "== building the load generator" >&2
  (cd "$ROOT" && mvn -B -q -pl benchmarks -am package -DskipTests) || die "build failed"
fi

WORK=$(mktemp -d /tmp/lightbroker-compare.XXXXXX)
mkdir -p "$ROOT/benchmarks/target"
[[ -n $OUT ]] || OUT=$ROOT/benchmarks/target/compare-$(date +%Y%m%d-%H%M%S).jsonl
: > "$OUT"
SERVER_PIDS=()

# Only the servers of the current repetition are alive; earlier ones were stopped and reaped, so
# their pids are never signalled again.
RUN_PID=""
cleanup() {
  if [[ -n $RUN_PID ]]; then kill "$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" 2>/dev/null || true; fi
  stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ports come from below the kernel's ephemeral range: the generator opens thousands of outgoing
# connections, whose local ports would otherwise collide with a server's bind. Sets PORT (not
# echoed: a $(...) subshell would lose USED_PORTS).
read -r EPHEMERAL_LOW _ </proc/sys/net/ipv4/ip_local_port_range
PORT_LOW=20000
PORT_SPAN=$((EPHEMERAL_LOW > 22000 ? EPHEMERAL_LOW - PORT_LOW : 10000))
USED_PORTS=" "
PORT=""
free_port() {
  local p
  for _ in $(seq 500); do
    p=$((PORT_LOW + RANDOM % PORT_SPAN))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if [[ -z $(ss -Htan "( sport = :$p )" 2>/dev/null) ]]; then
      USED_PORTS+="$p "
      PORT=$p
      return 0
    fi
  done
  die "no free port found in $PORT_LOW..$((PORT_LOW + PORT_SPAN))"
}

# wait_port PORT SECONDS PID: true once something accepts on 127.0.0.1:PORT
wait_port() {
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    kill -0 "$3" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# probe PROTO PORT: true if the port answers a ping in that protocol, not merely accepts. A
# server that is still being written may listen (even greet) without speaking the protocol yet.
probe() {
  local proto=$1 port=$2
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$2" || exit 1
    if [[ $1 == nats ]]; then
      printf "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n" >&3; want=PONG
    else
      printf "*1\r\n\$4\r\nPING\r\n" >&3; want=+PONG
    fi
    while IFS= read -r -t 2 line <&3; do [[ $line == "$want"* ]] && exit 0; done
    exit 1' probe "$proto" "$port" 2>/dev/null
}

# Fresh servers for every repetition, with the cases that leave state behind run last in it:
# after the wildcards case removes its 10,000 patterns, redis-server 7.0 stays ~15x slower on
# every later PUBLISH (its pattern dict keeps its large, now empty table, and each publish walks
# it). Seen here: fanout 1->10 at 7.0M msgs/s before `--scenario wildcards`, 0.46M after.
# The generator's JVM: no uncommon traps in C2 code. With them, a branch first taken after
# warm-up sent the NATS parser (NatsWire.parseSubscriber, per -XX:+PrintCompilation) back to the interpreter and
# to C2 again and again; the compiler threads then took the generator's pinned core for a tick
# (4 ms) at a time, as `perf record -e sched:sched_switch -C 1` showed, and that was the p99 of
# every NATS latency run (gen_stall_ms 46-96 without these flags, 5-11 with them).
LOADGEN_JVM=(-XX:PerMethodTrapLimit=0 -XX:PerBytecodeTrapLimit=0)

TARGETS=()
LB_NOTE=""
LB_RESP_PORT=""
LB_NATS_PORT=""
LB_PID=""

# wait_ready PROTO PORT SECONDS PID: the port is open and answers a ping, retried until the deadline.
wait_ready() {
  local deadline=$((SECONDS + $3))
  wait_port "$2" "$3" "$4" || return 1
  while ((SECONDS < deadline)); do
    probe "$1" "$2" && return 0
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# start_target NAME PROTO SECONDS LOG CMD... (CMD may use {PORT}): starts a server on a free port,
# retrying on a new port if it dies at start (a port taken between the check and the bind).
# Sets STARTED_PORT and STARTED_PID; returns 1 after three failed tries.
start_target() {
  local name=$1 proto=$2 secs=$3 log=$4 try pid
  shift 4
  for try in 1 2 3; do
    free_port
    local cmd=("${@//\{PORT\}/$PORT}")
    "${SERVER_CPU[@]}" "${cmd[@]}" >>"$log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    if wait_ready "$proto" "$PORT" "$secs" "$pid"; then
      STARTED_PORT=$PORT
      STARTED_PID=$pid
      return 0
    fi
    echo "compare.sh: $name did not answer on port $PORT (try $try): $(tail -2 "$log" | tr '\n' ' ')" >&2
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  return 1
}

start_servers() {
  TARGETS=()
  SERVER_PIDS=()
  start_target redis-server resp 10 "$WORK/redis.log" redis-server --port "{PORT}" --bind 127.0.0.1 \
    --save '' --appendonly no --daemonize no --maxclients $((CONNECTIONS + 1000)) ||
    { echo "compare.sh: redis-server would not start; see above" >&2; return 1; }
  TARGETS+=("redis-server resp $STARTED_PORT $STARTED_PID")

  start_target nats-server nats 10 "$WORK/nats.log" nats-server -a 127.0.0.1 -p "{PORT}" ||
    { echo "compare.sh: nats-server would not start; see above" >&2; return 1; }
  TARGETS+=("nats-server nats $STARTED_PORT $STARTED_PID")

  LB_NOTE=""
  LB_RESP_PORT=""
  LB_NATS_PORT=""
  LB_PID=""
  if [[ $USE_LB == 0 ]]; then
    LB_NOTE="lightbroker skipped (--no-lightbroker)"
  elif [[ ! -f $LB_JAR ]]; then
    LB_NOTE="lightbroker skipped: $LB_JAR not found (build it with: mvn -B -q -pl deploy -am package -DskipTests)"
  else
    # lightbroker's max-clients defaults to 10000, like Redis's maxclients; raise both for big N.
    local lb_extra=() try
    if ((CONNECTIONS > 9000)); then lb_extra=(--max-clients $((CONNECTIONS + 1000))); fi
    for try in 1 2 3; do
      free_port
      LB_RESP_PORT=$PORT
      free_port
      LB_NATS_PORT=$PORT
      "${SERVER_CPU[@]}" java -jar "$LB_JAR" --bind 127.0.0.1 --resp-port "$LB_RESP_PORT" \
        --nats-port "$LB_NATS_PORT" --admin-port 0 "${lb_extra[@]}" >"$WORK/lightbroker.log" 2>&1 &
      LB_PID=$!
      SERVER_PIDS+=("$LB_PID")
      wait_ready resp "$LB_RESP_PORT" 30 "$LB_PID" && break
      kill "$LB_PID" 2>/dev/null || true
      wait "$LB_PID" 2>/dev/null || true
      LB_PID=""
    done
    if [[ -z $LB_PID ]]; then
      LB_NOTE="lightbroker skipped: it did not start or does not answer PING on its RESP port: $(tail -3 "$WORK/lightbroker.log" | tr '\n' ' ')"
      LB_RESP_PORT=""
      LB_NATS_PORT=""
    else
      TARGETS+=("lightbroker-resp resp $LB_RESP_PORT $LB_PID")
      if wait_ready nats "$LB_NATS_PORT" 5 "$LB_PID"; then
        TARGETS+=("lightbroker-nats nats $LB_NATS_PORT $LB_PID")
      else
        LB_NOTE="lightbroker-nats skipped: its NATS port does not answer CONNECT+PING with PONG yet"
        LB_NATS_PORT=""
      fi
    fi
  fi
  if [[ -n $LB_NOTE ]]; then echo "note: $LB_NOTE" >&2; fi
}

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}


# Cases: name|generator arguments. Kept short so the standard set stays under ten minutes.
# Order matters: wildcards and connections leave state in the servers, so they come last.
if [[ $QUICK == 1 ]]; then
  CASES=(
    "fanout-1x1-16B|--scenario fanout --subscribers 1 --payload 16 --duration $DURATION"
    "fanout-1x10-16B|--scenario fanout --subscribers 10 --payload 16 --duration $DURATION"
    "zero-subs-16B|--scenario zero-subs --payload 16 --duration $DURATION"
    "latency-10k-x10|--scenario latency --rate 10k --subscribers 10 --duration 1s --warmup 500ms"
    "connections-$CONNECTIONS|--scenario connections --connections $CONNECTIONS"
  )
else
  CASES=(
    "fanout-1x1-16B|--scenario fanout --subscribers 1 --payload 16 --duration $DURATION"
    "fanout-1x10-16B|--scenario fanout --subscribers 10 --payload 16 --duration $DURATION"
    "fanout-1x100-16B|--scenario fanout --subscribers 100 --payload 16 --duration $DURATION"
    "fanout-1x1-1KB|--scenario fanout --subscribers 1 --payload 1kb --duration $DURATION"
    "fanout-1x10-1KB|--scenario fanout --subscribers 10 --payload 1kb --duration $DURATION"
    "fanout-1x100-1KB|--scenario fanout --subscribers 100 --payload 1kb --duration $DURATION"
    "zero-subs-16B|--scenario zero-subs --payload 16 --duration $DURATION"
    "latency-10k-x10|--scenario latency --rate 10k --subscribers 10 --duration 3s --warmup 3s"
    "latency-100k-x10|--scenario latency --rate 100k --subscribers 10 --duration 3s --warmup 3s"
    "wildcards-10k|--scenario wildcards --patterns 10000 --payload 16 --duration $DURATION"
    "connections-$CONNECTIONS|--scenario connections --connections $CONNECTIONS"
  )
fi

run_one() { # run_one TARGET PROTO PORT PID CASE ARGS...
  local target=$1 proto=$2 port=$3 pid=$4 case=$5
  shift 5
  local out=$WORK/run.out rc=0
  # In the background and waited for, so that an interrupt reaches the trap at once.
  timeout --kill-after=5 180 "${CLIENT_CPU[@]}" java "${LOADGEN_JVM[@]}" -jar "$LOADGEN_JAR" --proto "$proto" --port "$port" \
    --server-pid "$pid" --target "$target" --case "$case" --json "$@" >"$out" 2>"$WORK/run.err" &
  RUN_PID=$!
  wait "$RUN_PID" || rc=$?
  RUN_PID=""
  grep '^{' "$out" >>"$OUT" || true
  local line
  line=$(grep -v '^{' "$out" | tail -1 || true)
  if [[ $rc != 0 && -z $(grep '^{' "$out" || true) ]]; then
    local msg
    msg=$(tail -1 "$WORK/run.err" 2>/dev/null | tr -d '"\\' || true)
    local scen
    scen=$(sed -n 's/.*--scenario \([^ ]*\).*/\1/p' <<<"$*")
    echo "{\"scenario\":\"${scen:-unknown}\",\"target\":\"$target\",\"case\":\"$case\",\"error\":\"exit $rc: ${msg:-no output}\"}" >>"$OUT"
    line="error exit=$rc ${msg:-}"
  fi
  printf '  %-18s %s\n' "$target" "$line"
}

# warm_up: one untimed fan-out per target right after the servers start, its result discarded.
# lightbroker's JIT compiles the hot paths during the first seconds of load; without this the
# first case of each repetition measured a cold JVM (NATS 1->1 16 B: 371k msgs/s cold against
# 3.17M warm, same jar). The native servers get the same run, so every target starts warm.
warm_up() {
  local t tname tproto tport tpid
  for t in "${TARGETS[@]}"; do
    read -r tname tproto tport tpid <<<"$t"
    timeout --kill-after=5 60 "${CLIENT_CPU[@]}" java "${LOADGEN_JVM[@]}" -jar "$LOADGEN_JAR" --proto "$tproto" --port "$tport" \
      --scenario fanout --subscribers 10 --payload 16 --duration "$WARMUP" >/dev/null 2>&1 || true
    # The latency cases' patterns too, untimed, for every target alike: one message per read at
    # 10k msgs/s, a few per read at 100k. On a fresh lightbroker the first run at each rate was
    # its worst (the first at 100k: p99 1.8-3.4 ms, the second 0.8-1.6 ms, in five rotated
    # repetitions) while the JIT recompiled for the new pattern.
    local rate
    for rate in 10k 100k; do
      timeout --kill-after=5 60 "${CLIENT_CPU[@]}" java "${LOADGEN_JVM[@]}" -jar "$LOADGEN_JAR" --proto "$tproto" --port "$tport" \
        --scenario latency --rate "$rate" --subscribers 10 --duration "$WARMUP" --warmup 0s >/dev/null 2>&1 || true
    done
  done
}

# ---- cross-node: leaf nodes through one hub --------------------------------------------------
# One nats-server hub with a leafnodes listener; two lightbroker nodes and two nats-server nodes
# attached to it as leaves. A case publishes on leaf A and subscribes on leaf B, so every message
# crosses A -> hub -> B. All five servers are started fresh for each repetition.
LEAF_CASES=(
  "leaf-1x1-16B|--scenario cross --pub-proto nats --sub-proto nats --subscribers 1 --payload 16 --duration $DURATION --settle 1s"
  "leaf-1x10-16B|--scenario cross --pub-proto nats --sub-proto nats --subscribers 10 --payload 16 --duration $DURATION --settle 1s"
  "leaf-1x1-1KB|--scenario cross --pub-proto nats --sub-proto nats --subscribers 1 --payload 1kb --duration $DURATION --settle 1s"
  "leaf-latency-10k-x1|--scenario latency --rate 10k --subscribers 1 --duration 3s --warmup 1s --settle 1s"
)

# leaf_count MONITOR_PORT: connected leaves the hub reports.
leaf_count() {
  python3 -c 'import json,sys,urllib.request
try:
    print(json.load(urllib.request.urlopen("http://127.0.0.1:%s/leafz" % sys.argv[1], timeout=2)).get("leafnodes", 0))
except Exception:
    print(0)' "$1"
}

start_leaf_topologies() {
  LEAF_TARGETS=()
  local hub_leaf hub_mon conf
  free_port; hub_leaf=$PORT
  free_port; hub_mon=$PORT
  conf=$WORK/hub.conf
  printf 'leafnodes { listen: "127.0.0.1:%s" }\n' "$hub_leaf" >"$conf"
  start_target nats-hub nats 10 "$WORK/hub.log" nats-server -c "$conf" -a 127.0.0.1 -p "{PORT}" -m "$hub_mon" ||
    { echo "compare.sh: the nats-server hub would not start" >&2; return 1; }
  local leaf_conf=$WORK/leaf.conf ports=() name
  printf 'leafnodes { remotes [ { url: "nats-leaf://127.0.0.1:%s" } ] }\n' "$hub_leaf" >"$leaf_conf"
  for name in a b; do
    start_target "nats-leaf-$name" nats 10 "$WORK/nats-leaf-$name.log" nats-server -c "$leaf_conf" -a 127.0.0.1 -p "{PORT}" ||
      { echo "compare.sh: nats-server leaf $name would not start" >&2; return 1; }
    ports+=("$STARTED_PORT")
  done
  local want=2
  LEAF_TARGETS+=("nats-server ${ports[0]} ${ports[1]} $STARTED_PID")
  if [[ $USE_LB == 1 && -f $LB_JAR ]]; then
    local lb=()
    for name in a b; do
      free_port
      local resp=$PORT
      start_target "lightbroker-leaf-$name" nats 30 "$WORK/lb-leaf-$name.log" java -jar "$LB_JAR" --bind 127.0.0.1 \
        --resp-port "$resp" --nats-port "{PORT}" --admin-port -1 --leaf-remote "nats-leaf://127.0.0.1:$hub_leaf" ||
        { echo "compare.sh: lightbroker leaf $name would not start" >&2; return 1; }
      lb+=("$STARTED_PORT")
    done
    want=4
    LEAF_TARGETS+=("lightbroker-nats ${lb[0]} ${lb[1]} $STARTED_PID")
  fi
  local deadline=$((SECONDS + 20))
  while (($(leaf_count "$hub_mon") < want)); do
    ((SECONDS < deadline)) || { echo "compare.sh: only $(leaf_count "$hub_mon") of $want leaves joined the hub" >&2; return 1; }
    sleep 0.2
  done
}

run_leaf_cases() {
  local rep=$1 c name args t tname pport sport tpid
  if ! start_leaf_topologies; then
    stop_servers
    return 0
  fi
  for t in "${LEAF_TARGETS[@]}"; do
    read -r tname pport sport tpid <<<"$t"
    timeout --kill-after=5 60 "${CLIENT_CPU[@]}" java "${LOADGEN_JVM[@]}" -jar "$LOADGEN_JAR" --scenario cross --pub-proto nats --sub-proto nats \
      --pub-port "$pport" --sub-port "$sport" --port "$pport" --subscribers 10 --payload 16 --duration "$WARMUP" --settle 1s >/dev/null 2>&1 || true
  done
  for c in "${LEAF_CASES[@]}"; do
    name=${c%%|*}
    read -r -a args <<<"${c#*|}"
    echo "-- [$rep/$REPEAT] $name (load average $(cut -d' ' -f1 /proc/loadavg))"
    for t in "${LEAF_TARGETS[@]}"; do
      read -r tname pport sport tpid <<<"$t"
      run_one "$tname" nats "$pport" "$tpid" "$name" "${args[@]}" --pub-port "$pport" --sub-port "$sport"
    done
  done
  stop_servers
}

echo "== $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(java -version 2>&1 | head -1)"
echo "== $(redis-server --version | cut -d' ' -f1-3), $(nats-server --version)"
echo "== repeat=$REPEAT duration=$DURATION connections=$CONNECTIONS pin=$PIN results=$OUT"
load1=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$load1" -v n="$(nproc)" 'BEGIN{exit !(l > n * 0.5)}'; then
  echo "compare.sh: warning: load average $load1 on $(nproc) cores: other work will skew these numbers (each result records the load)" >&2
fi
start=$SECONDS
for ((rep = 1; rep <= REPEAT; rep++)); do
  if [[ $STANDARD == 0 ]]; then
    run_leaf_cases "$rep"
    continue
  fi
  if ! start_servers; then
    echo "compare.sh: stopping after $((rep - 1)) complete repetition(s); reporting those" >&2
    stop_servers
    break
  fi
  echo "-- [$rep/$REPEAT] warm-up ($WARMUP per target, not reported)"
  warm_up
  for c in "${CASES[@]}"; do
    name=${c%%|*}
    [[ -z $ONLY || $name =~ $ONLY ]] || continue
    read -r -a args <<<"${c#*|}"
    echo "-- [$rep/$REPEAT] $name (load average $(cut -d' ' -f1 /proc/loadavg))"
    # Odd repetitions run the targets in order, even ones in reverse: whichever goes first in a
    # case meets a machine that has just changed load pattern, and on a fresh lightbroker the
    # first latency run recompiles what the fan-outs compiled (54 methods deoptimised in the
    # first 10k msgs/s run, 1 in the next, -XX:+PrintCompilation).
    order=("${TARGETS[@]}")
    if ((rep % 2 == 0)); then
      order=()
      for ((i = ${#TARGETS[@]} - 1; i >= 0; i--)); do order+=("${TARGETS[i]}"); done
    fi
    for t in "${order[@]}"; do
      read -r tname tproto tport tpid <<<"$t"
      run_one "$tname" "$tproto" "$tport" "$tpid" "$name" "${args[@]}"
    done
  done
  # Publishing over one protocol and receiving over the other only exists in lightbroker.
  if [[ -n $LB_NATS_PORT && " ${TARGETS[*]} " == *lightbroker-nats* ]] \
      && [[ -z $ONLY || cross-nats-to-resp =~ $ONLY ]]; then
    echo "-- [$rep/$REPEAT] cross-nats-to-resp"
    run_one lightbroker-cross nats "$LB_NATS_PORT" "$LB_PID" cross-nats-to-resp --scenario cross \
      --pub-proto nats --pub-port "$LB_NATS_PORT" --sub-proto resp --sub-port "$LB_RESP_PORT" \
      --subscribers 10 --duration "$DURATION"
  fi
  stop_servers
  if [[ $LEAF == 1 ]]; then
    run_leaf_cases "$rep"
  fi
done
echo "== done in $((SECONDS - start)) s"
echo

REPORT=${OUT%.jsonl}.md
java -cp "$LOADGEN_JAR" io.lightbroker.bench.load.Report "$OUT" | tee "$REPORT"
if [[ -n $LB_NOTE ]]; then { echo; echo "Note: $LB_NOTE"; } | tee -a "$REPORT"; fi
echo
echo "raw results: $OUT"
echo "table:       $REPORT"
