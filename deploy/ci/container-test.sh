#!/usr/bin/env bash
# Container test: build the image, run it the way platforms do, talk to it, stop it, run the
# compose demo, lint the Dockerfiles and the compose files, then the scale-out demo: a three-node
# nats-server cluster (deploy/nats/) with lightbroker nodes as leaf nodes (compose-cluster.yml),
# a message published on one node received on the others, a hub stopped and the link failing
# over. Exits non-zero on any failure.
#
#   bash deploy/ci/container-test.sh          (as root on Debian 12; CI runs it from .ci/run)
#
# No registry is reachable from CI, so Debian's own Docker engine is started here on a socket
# of its own, and local stand-ins for the upstream base images are built once (a debootstrap
# Debian, a Maven + JDK 17 build image, a scratch-based distroless-cc) and passed to the
# Dockerfile as build arguments. The engine's data root lives in $LIGHTBROKER_CI_DOCKER
# (default /var/tmp/lightbroker-ci-docker), so the base images, the build cache and the
# Maven cache mount survive between runs on the same machine: the first run is the cold one.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STATE=${LIGHTBROKER_CI_DOCKER:-/var/tmp/lightbroker-ci-docker}
RUN=$(mktemp -d /tmp/lbci.XXXXXX)
DOCKER=/usr/bin/docker          # Debian's 20.10 client: the newer one on PATH has no BuildKit builder
export DOCKER_HOST=unix://$RUN/docker.sock DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=0
IMAGE=lightbroker:ci
NATS_IMAGE=lightbroker-nats:ci
PROJECT=lbci$$
CLUSTER_PROJECT=${PROJECT}cluster
CONTAINER=$PROJECT-broker
DEBIAN_IMAGE=local/debian:bookworm
BUILD_IMAGE=local/maven:3.9-jdk17
RUNTIME_IMAGE=local/distroless-cc:nonroot
GRACE=20                         # docker stop -t: must cover the image's drain-grace (10s)

log() { printf '\n== %s %s\n' "$(date +%T)" "$*"; }
fail() { printf 'container-test: FAIL: %s\n' "$*" >&2; exit 1; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

cleanup() {
  local status=$?
  set +e
  if [ -S "$RUN/docker.sock" ]; then
    if [ $status -ne 0 ]; then
      $DOCKER logs "$CONTAINER" 2>&1 | tail -30
      docker-compose -p "$PROJECT" -f deploy/docker-compose.yml logs --no-color 2>&1 | tail -40
      docker-compose -p "$CLUSTER_PROJECT" -f deploy/compose-cluster.yml logs --no-color 2>&1 | tail -60
    fi
    docker-compose -p "$PROJECT" -f deploy/docker-compose.yml down -v --remove-orphans >/dev/null 2>&1
    docker-compose -p "$CLUSTER_PROJECT" -f deploy/compose-cluster.yml down -v --remove-orphans >/dev/null 2>&1
    $DOCKER rm -f "$CONTAINER" >/dev/null 2>&1
  fi
  if [ -f "$RUN/dockerd.pid" ]; then
    local pid
    pid=$(cat "$RUN/dockerd.pid")
    kill "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  [ $status -ne 0 ] && tail -20 "$RUN/dockerd.log" 2>/dev/null
  rm -rf "$RUN"
  exit $status
}
trap cleanup EXIT

# ---- tools --------------------------------------------------------------------------------
log "installing the engine and tools (Debian packages)"
need=()
for cmd in dockerd:docker.io docker-compose:docker-compose debootstrap:debootstrap iptables:iptables \
           redis-cli:redis-tools python3:python3 npm:npm; do
  command -v "${cmd%%:*}" >/dev/null || need+=("${cmd#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
mkdir -p "$STATE/npm"
if [ ! -x "$STATE/npm/node_modules/.bin/dockerfile-utils" ]; then
  npm install --silent --no-audit --no-fund --prefix "$STATE/npm" dockerfile-utils@0.16.3 >/dev/null
fi

# ---- engine -------------------------------------------------------------------------------
log "starting dockerd (data root $STATE/data)"
dockerd --data-root "$STATE/data" --exec-root "$RUN/exec" -H "$DOCKER_HOST" \
        --pidfile "$RUN/dockerd.pid" >"$RUN/dockerd.log" 2>&1 &
for _ in $(seq 150); do $DOCKER version >/dev/null 2>&1 && break; sleep 0.2; done
$DOCKER version --format 'engine {{.Server.Version}}' || fail "dockerd did not start"

# ---- stand-in base images (once per data root) ---------------------------------------------
t0=$(date +%s%N)
if ! $DOCKER image inspect "$DEBIAN_IMAGE" >/dev/null 2>&1; then
  log "building $DEBIAN_IMAGE with debootstrap"
  # The mirror is whatever apt on this machine uses, read at run time.
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list)
  debootstrap --variant=minbase bookworm "$RUN/rootfs" "$mirror" >"$RUN/debootstrap.log" 2>&1 \
    || { tail "$RUN/debootstrap.log"; fail "debootstrap"; }
  tar -C "$RUN/rootfs" -c . | $DOCKER import - "$DEBIAN_IMAGE" >/dev/null
fi
if ! $DOCKER image inspect "$BUILD_IMAGE" >/dev/null 2>&1; then
  log "building $BUILD_IMAGE (stands in for maven:3.9-eclipse-temurin-17)"
  mkdir -p "$RUN/build-image/certs"
  # Extra CA certificates of this machine (an egress proxy's), so Maven Central works inside.
  cp /usr/local/share/ca-certificates/*.crt "$RUN/build-image/certs/" 2>/dev/null || true
  cp deploy/ci/standins/build.Dockerfile "$RUN/build-image/Dockerfile"
  $DOCKER build -q --build-arg BASE="$DEBIAN_IMAGE" -t "$BUILD_IMAGE" "$RUN/build-image" >/dev/null
fi
if ! $DOCKER image inspect "$RUNTIME_IMAGE" >/dev/null 2>&1; then
  log "building $RUNTIME_IMAGE (stands in for gcr.io/distroless/cc-debian12:nonroot)"
  mkdir -p "$RUN/distroless"
  cp deploy/ci/standins/distroless.Dockerfile "$RUN/distroless/Dockerfile"
  $DOCKER build -q --build-arg BASE="$DEBIAN_IMAGE" -t "$RUNTIME_IMAGE" "$RUN/distroless" >/dev/null
fi
echo "base images ready in $(ms_since "$t0") ms"

# ---- lint ---------------------------------------------------------------------------------
log "linting the Dockerfiles and the compose files"
for dockerfile in deploy/Dockerfile deploy/nats/Dockerfile; do
  lint=$("$STATE/npm/node_modules/.bin/dockerfile-utils" lint "$dockerfile" 2>&1) || true
  if [ -n "$lint" ]; then echo "$lint"; fail "dockerfile-utils lint $dockerfile"; fi
done
LIGHTBROKER_IMAGE=$IMAGE docker-compose -p "$PROJECT" -f deploy/docker-compose.yml config -q
LIGHTBROKER_IMAGE=$IMAGE LIGHTBROKER_NATS_IMAGE=$NATS_IMAGE \
  docker-compose -p "$CLUSTER_PROJECT" -f deploy/compose-cluster.yml config -q

# ---- build --------------------------------------------------------------------------------
log "building $IMAGE"
t0=$(date +%s%N)
$DOCKER build --progress=plain -f deploy/Dockerfile -t "$IMAGE" \
  --build-arg BUILD_IMAGE="$BUILD_IMAGE" --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" . >"$RUN/build.log" 2>&1 \
  || { tail -40 "$RUN/build.log"; fail "docker build"; }
build_ms=$(ms_since "$t0")
grep -E 'jdeps:|jlink:|train.sh:' "$RUN/build.log" | sed 's/^#[0-9]* [0-9.]* //' || true
size=$($DOCKER image inspect -f '{{.Size}}' "$IMAGE")
echo "build ${build_ms} ms, image $((size / 1000000)) MB ($size bytes)"
$DOCKER history --format '{{.Size}}\t{{.CreatedBy}}' "$IMAGE" | cut -c1-110 | grep -v '^0B'
# The same image with the class-data-sharing archives (only the runtime stage runs again).
t0=$(date +%s%N)
$DOCKER build -q -f deploy/Dockerfile -t "$IMAGE-cds" --build-arg APPCDS=true \
  --build-arg BUILD_IMAGE="$BUILD_IMAGE" --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" . >/dev/null || fail "docker build APPCDS=true"
size_cds=$($DOCKER image inspect -f '{{.Size}}' "$IMAGE-cds")
echo "APPCDS=true: image $((size_cds / 1000000)) MB ($size_cds bytes), built in $(ms_since "$t0") ms"
[ "$size" -le 60000000 ] || fail "the default image is $((size / 1000000)) MB, over the 60 MB goal"

# ---- run as a platform would --------------------------------------------------------------
log "running it read-only, all capabilities dropped"
[ "$($DOCKER image inspect -f '{{.Config.User}}' "$IMAGE")" = 65532:65532 ] || fail "image user is not 65532:65532"
t0=$(date +%s%N)
$DOCKER run -d --name "$CONTAINER" --read-only --cap-drop ALL --security-opt no-new-privileges \
  --health-interval 2s --health-start-period 30s \
  -p 127.0.0.1::6379 -p 127.0.0.1::4222 -p 127.0.0.1::8222 "$IMAGE" >/dev/null
port() { $DOCKER port "$CONTAINER" "$1/tcp" | sed -n '1s/.*://p'; }
RESP=$(port 6379) NATS=$(port 4222) ADMIN=$(port 8222)
for _ in $(seq 300); do
  [ "$(redis-cli -p "$RESP" ping 2>/dev/null)" = PONG ] && break; sleep 0.05
done
echo "first PONG $(ms_since "$t0") ms after docker run (including redis-cli forks)"
status=starting
for _ in $(seq 120); do
  status=$($DOCKER inspect -f '{{.State.Health.Status}}' "$CONTAINER")
  [ "$status" = healthy ] && break
  [ "$($DOCKER inspect -f '{{.State.Running}}' "$CONTAINER")" = true ] || fail "container exited"
  sleep 0.5
done
[ "$status" = healthy ] || fail "health status is $status"
echo "engine health status: healthy after $(ms_since "$t0") ms"
$DOCKER inspect -f '{{range .State.Health.Log}}{{.ExitCode}} {{.Output}}{{end}}' "$CONTAINER" | tail -1

pid=$($DOCKER inspect -f '{{.State.Pid}}' "$CONTAINER")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = 65532 ] || fail "broker runs as uid $uid"
echo "broker process runs as uid $uid"
# Whole logs into a variable first: 'docker logs | grep -q' would die of SIGPIPE under pipefail.
logs=$($DOCKER logs "$CONTAINER" 2>&1)
python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin if l.strip()]' <<<"$logs" || fail "log lines are not JSON"
grep -q 'epoll transport' <<<"$logs" || fail "native epoll transport did not load"

log "RESP PUBLISH reaching a NATS SUB over the published ports"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ADMIN/readyz")" = 200 ] || fail "/readyz"
python3 - "$NATS" "$RESP" <<'PY' || fail "cross-protocol delivery"
import socket, subprocess, sys
nats, resp = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", nats), timeout=5)
f = s.makefile("rb")
assert f.readline().startswith(b"INFO "), "no INFO"
s.sendall(b'CONNECT {"verbose":false}\r\nSUB orders.* 1\r\nPING\r\n')
assert f.readline() == b"PONG\r\n", "no PONG after SUB"
n = subprocess.check_output(["redis-cli", "-p", str(resp), "publish", "orders.eu", "hello"]).strip()
assert n == b"1", "PUBLISH counted %r receivers" % n
line = f.readline()
assert line == b"MSG orders.eu 1 5\r\n", line
assert f.readline() == b"hello\r\n"
print("redis-cli PUBLISH orders.eu -> NATS", line.decode().strip())
PY

log "docker stop drains and exits 0 within the grace period"
t0=$(date +%s%N)
$DOCKER stop -t "$GRACE" "$CONTAINER" >/dev/null
stop_ms=$(ms_since "$t0")
code=$($DOCKER inspect -f '{{.State.ExitCode}}' "$CONTAINER")
[ "$code" = 0 ] || fail "exit status $code after docker stop"
[ "$stop_ms" -lt $((GRACE * 1000)) ] || fail "stop took ${stop_ms} ms (SIGKILL at ${GRACE} s)"
grep -q 'lightbroker stopped' <<<"$($DOCKER logs "$CONTAINER" 2>&1)" || fail "no drain in the log"
echo "stopped in ${stop_ms} ms, exit status 0"
$DOCKER rm "$CONTAINER" >/dev/null

# ---- start-up time with and without the CDS archives ---------------------------------------
log "time to first accepted connection (docker run -> first PONG), median of 5"
java_flags=(-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData
            -Djava.library.path=/opt/lightbroker/app/native)
measure() {
  local name=$1; shift
  local runs=()
  for _ in 1 2 3 4 5; do
    $DOCKER rm -f "$CONTAINER" >/dev/null 2>&1 || true
    runs+=("$(python3 deploy/ci/first-ping.py 16399 -- $DOCKER run -d --name "$CONTAINER" --read-only \
               --cap-drop ALL -p 127.0.0.1:16399:6379 "$@")")
  done
  $DOCKER rm -f "$CONTAINER" >/dev/null
  printf '%-28s %s ms (median of %s)\n' "$name" "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)" "${runs[*]}"
}
measure "default image (no archives)" "$IMAGE"
measure "APPCDS=true image" "$IMAGE-cds"
measure "APPCDS=true, JDK archive only" --entrypoint /opt/lightbroker/bin/java "$IMAGE-cds" "${java_flags[@]}" \
  -Xshare:auto -jar /opt/lightbroker/app/lightbroker.jar serve
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"

# ---- compose demo ---------------------------------------------------------------------------
log "compose demo: broker, publisher, 3 workers in one NATS queue group"
export LIGHTBROKER_IMAGE=$IMAGE
compose() { docker-compose -p "$PROJECT" -f deploy/docker-compose.yml "$@"; }
compose up -d --scale worker=3 2>&1 | grep -v '^$' || fail "docker-compose up"
[ "$($DOCKER inspect -f '{{.State.Health.Status}}' "$(compose ps -q broker)")" = healthy ] \
  || fail "compose started the clients before the broker was healthy"
publisher=$(compose ps -q publisher)
for _ in $(seq 120); do
  [ "$($DOCKER inspect -f '{{.State.Running}}' "$publisher")" = false ] && break; sleep 0.5
done
[ "$($DOCKER inspect -f '{{.State.ExitCode}}' "$publisher")" = 0 ] || fail "publisher failed"
sleep 1
busy=0 total=0
for w in $(compose ps -q worker); do
  n=$($DOCKER logs "$w" 2>/dev/null | grep -c '^jobs\.demo ' || true)
  echo "worker $($DOCKER inspect -f '{{.Name}}' "$w"): $n messages"
  total=$((total + n)); [ "$n" -gt 0 ] && busy=$((busy + 1))
done
[ "$busy" -ge 2 ] || fail "the queue group did not spread the load ($busy busy workers)"
[ "$total" -le 60 ] || fail "$total deliveries for 60 messages: a queue group delivers each once"
compose down -v --remove-orphans 2>&1 | tail -1

# ---- scale-out demo: a nats-server cluster, lightbroker nodes as its leaf nodes ------------
cluster_t0=$(date +%s%N)
log "building $NATS_IMAGE (Debian's nats-server on the distroless stand-in)"
t0=$(date +%s%N)
# Its own small context (deploy/nats); the package layer stays cached while the base does.
$DOCKER build --progress=plain -t "$NATS_IMAGE" --build-arg DEBIAN_IMAGE="$DEBIAN_IMAGE" \
  --build-arg RUNTIME_IMAGE="$RUNTIME_IMAGE" deploy/nats >"$RUN/nats-build.log" 2>&1 \
  || { tail -20 "$RUN/nats-build.log"; fail "docker build deploy/nats"; }
size_nats=$($DOCKER image inspect -f '{{.Size}}' "$NATS_IMAGE")
echo "build $(ms_since "$t0") ms, image $((size_nats / 1000000)) MB ($size_nats bytes);" \
  "$($DOCKER run --rm --read-only --cap-drop ALL "$NATS_IMAGE" --version)"
[ "$($DOCKER image inspect -f '{{.Config.User}}' "$NATS_IMAGE")" = 65532:65532 ] || fail "nats image user is not 65532:65532"
[ "$size_nats" -le 25000000 ] || fail "the nats image is $((size_nats / 1000000)) MB, over 25 MB"

log "cluster demo: nats1..3 routed, broker-a, broker-b and 3 pool replicas as leaf nodes"
export LIGHTBROKER_NATS_IMAGE=$NATS_IMAGE
cluster() { docker-compose -p "$CLUSTER_PROJECT" -f deploy/compose-cluster.yml "$@"; }
check() { python3 deploy/ci/cluster-check.py "$@"; }
t0=$(date +%s%N)
cluster up -d --scale broker=3 >"$RUN/cluster-up.log" 2>&1 || { cat "$RUN/cluster-up.log"; fail "docker-compose up (cluster)"; }
echo "$(grep -c '\.\.\. done' "$RUN/cluster-up.log") containers up in $(ms_since "$t0") ms"
pid=$($DOCKER inspect -f '{{.State.Pid}}' "$(cluster ps -q nats1)")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = 65532 ] || fail "nats-server runs as uid $uid"
# The pool's ports are random loopback ports: ask compose for replica N's.
pool() { cluster port --index="$1" broker "$2" | sed -n '1s/.*://p'; }
nodes=(broker-a=8222 broker-b=8223)
for i in 1 2 3; do nodes+=("broker.$i=$(pool "$i" 8222)"); done
check routes 18222 18223 18224 || fail "the nats-server cluster did not form"
leafz=$(check leafz --timeout 60 "${nodes[@]}") || fail "/leafz"
echo "$leafz"
echo "leaf links up $(ms_since "$t0") ms after docker-compose up"

log "a RESP PUBLISH on one replica reaches the other replicas and the cluster's own clients"
# Pool replica 1 publishes; Redis and NATS subscribers on the other replicas and on broker-b,
# and NATS clients of each hub (so at least one delivery crosses a route, wherever the links went).
check cross --pub broker.1=resp:"$(pool 1 6379)" --count 100 \
  broker-b=resp:6380 broker.2=nats:"$(pool 2 4222)" broker.3=resp:"$(pool 3 6379)" \
  nats1=nats:14222 nats2=nats:14223 nats3=nats:14224 || fail "cross-replica delivery"
# The demo's own pair: two ticks a second from the publisher (RESP on broker-a) to the subscriber
# (RESP on broker-b), whose nodes start on different hubs.
for _ in $(seq 40); do
  ticks=$(cluster logs --no-color subscriber 2>/dev/null | grep -c 'demo\.ticks tick [0-9]* from broker-a' || true)
  [ "$ticks" -ge 3 ] && break; sleep 0.5
done
echo "demo subscriber printed $ticks ticks from broker-a"
[ "$ticks" -ge 3 ] || fail "the demo subscriber received $ticks ticks from broker-a"

log "failover: the hub of broker-b stops, its link moves to the next hub in its list"
# The hubs' server names (--name) are their service names.
hub=$(sed -n 's/^broker-b .*connected to hub \([^ ]*\).*/\1/p' <<<"$leafz")
[ -n "$hub" ] || fail "no hub for broker-b in /leafz"
t0=$(date +%s%N)
cluster stop -t 5 "$hub" 2>&1 | grep -v '^$' | tail -1
check leafz --timeout 30 --away-from "$hub" "${nodes[@]}" || fail "no failover away from $hub"
echo "$hub stopped; every node connected to another hub $(ms_since "$t0") ms after the stop"
check cross --pub broker-a=resp:6379 --count 100 broker-b=resp:6380 || fail "delivery after the failover"
t0=$(date +%s%N)
cluster down -v --remove-orphans 2>&1 | tail -1
echo "down in $(ms_since "$t0") ms"
cluster_ms=$(ms_since "$cluster_t0")
echo "cluster demo: ${cluster_ms} ms in all (nats image build included)"

log "summary"
echo "image $IMAGE: $((size / 1000000)) MB (APPCDS=true: $((size_cds / 1000000)) MB); build ${build_ms} ms; docker stop ${stop_ms} ms"
echo "image $NATS_IMAGE: $((size_nats / 1000000)) MB; scale-out demo ${cluster_ms} ms"
echo "container-test: 1 passed, 0 failed"
