#!/bin/sh
# AppCDS training run, used by the Dockerfile's runtime stage (and runnable by hand):
#   train.sh JAVA JAR ARCHIVE      (ARCHIVE "-": run the smoke test, write no archive)
# Starts the broker with -XX:ArchiveClassesAtExit, drives what a real start-up and the first
# clients load (both protocols, a cross-protocol publish, the admin endpoints, the health
# check), then stops it with SIGTERM: the archive is written as the JVM exits. Any failure
# here fails the image build, so it doubles as a smoke test of the jlinked runtime (a module
# that jdeps missed shows up as a NoClassDefFoundError right here).
set -eu
JAVA=$1 JAR=$2 ARCHIVE=$3
PORTS="--resp-port 16379 --nats-port 14222 --admin-port 18222 --bind 127.0.0.1"
LOG=$(mktemp)
cds="-XX:ArchiveClassesAtExit=$ARCHIVE"
[ "$ARCHIVE" != - ] || cds="-Xshare:auto"   # no archive wanted: the run is only the smoke test
"$JAVA" "$cds" -Xlog:cds=warning -jar "$JAR" serve $PORTS >"$LOG" 2>&1 &
server=$!
fail() { echo "train.sh: $*" >&2; cat "$LOG" >&2; kill -9 "$server" 2>/dev/null || true; exit 1; }
lb() { "$JAVA" -Xshare:auto -jar "$JAR" "$@"; }
i=0
until lb healthcheck --admin-port 18222 >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 100 ] || fail "broker not healthy after 20 s"; sleep 0.2
done
lb sub --proto nats --url nats://127.0.0.1:14222 --count 2 'train.*' >/dev/null 2>"$LOG.sub" &
sub=$!
i=0
until grep -q subscribed "$LOG.sub" 2>/dev/null; do
  i=$((i + 1)); [ "$i" -lt 100 ] || fail "sub did not subscribe"; sleep 0.1
done
lb pub --proto resp --url redis://127.0.0.1:16379 train.resp hello >/dev/null || fail "RESP publish failed"
lb pub --proto nats --url nats://127.0.0.1:14222 train.nats hello >/dev/null || fail "NATS publish failed"
wait "$sub" || fail "sub did not get both messages"
for path in /readyz /metrics /varz /connz /subsz /; do
  lb healthcheck --admin-port 18222 --path "$path" >/dev/null || fail "GET $path failed"
done
kill -TERM "$server"
wait "$server" || fail "broker did not exit 0 on SIGTERM"
rm -f "$LOG.sub"
if [ "$ARCHIVE" = - ]; then
  rm -f "$LOG"
  echo "train.sh: smoke test passed (no archive)"
  exit 0
fi
[ -s "$ARCHIVE" ] || fail "no archive written"
rm -f "$LOG"
echo "train.sh: $ARCHIVE $(wc -c <"$ARCHIVE") bytes"
