#!/usr/bin/env bash
# Local Kafka (KRaft, single node) + Neo4j 5.26 Community on loopback, without Docker.
#
#   bash deploy/services.sh up      fetch (once) with Maven, start both, wait until they answer
#   bash deploy/services.sh down    stop both (SIGTERM, up to 30 s, then SIGKILL)
#   bash deploy/services.sh status  one line per service
#   bash deploy/services.sh reset   down + wipe Kafka and Neo4j data (next up starts empty)
#   bash deploy/services.sh fetch   only fetch the jars into .cache/
#
# Kafka: 127.0.0.1:9092 (PLAINTEXT), controller 127.0.0.1:9093.  Neo4j: bolt://127.0.0.1:7687, no auth.
# Jars: .cache/{kafka,neo4j}/lib (versions pinned in deploy/*/pom.xml).  State, pids, logs: .run/
# Needs: java (17+), mvn, python3.  Env knobs: SERVICES_TIMEOUT (s, default 120),
# KAFKA_HEAP (default 512m), NEO4J_HEAP (default 1g), NEO4J_PAGECACHE_MIB (default 256).
set -euo pipefail

_self="${BASH_SOURCE[0]}"; [[ "$_self" == */* ]] || _self="./$_self"
ROOT="$(cd "${_self%/*}/.." && pwd)"
DEPLOY="$ROOT/deploy"
CACHE="$ROOT/.cache"
RUN="$ROOT/.run"
LOGS="$RUN/logs"

TIMEOUT="${SERVICES_TIMEOUT:-120}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
NEO4J_HEAP="${NEO4J_HEAP:-1g}"
NEO4J_PAGECACHE_MIB="${NEO4J_PAGECACHE_MIB:-256}"
KAFKA_HOST=127.0.0.1 KAFKA_PORT=9092
NEO4J_HOST=127.0.0.1 NEO4J_PORT=7687

KAFKA_LIB="$CACHE/kafka/lib"
NEO4J_LIB="$CACHE/neo4j/lib"
KAFKA_PID="$RUN/kafka.pid"
NEO4J_PID="$RUN/neo4j.pid"
KAFKA_OUT="$LOGS/kafka.out"
NEO4J_OUT="$LOGS/neo4j.out"
KAFKA_DATA="$RUN/kafka/data"
NEO4J_HOME="$RUN/neo4j"

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

require_tools() {
  local missing=()
  for t in java mvn python3; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  if ((${#missing[@]})); then
    echo "[services] ERROR: missing required tool(s): ${missing[*]} (need JDK 17+ 'java', Maven 'mvn', 'python3' on PATH)" >&2
    exit 1
  fi
}

pom_prop() { # pom_prop FILE NAME -> value of <NAME>...</NAME>
  sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1" | head -n1
}

# ---------------------------------------------------------------- fetch (Maven)
fetch_one() { # fetch_one NAME  (deploy/NAME/pom.xml -> .cache/NAME/lib)
  local name="$1" pom="$DEPLOY/$1/pom.xml" dest="$CACHE/$1" want have=""
  want="$(pom_prop "$pom" "$name.version") pom-sha256=$(sha256sum "$pom" | cut -c1-16)"
  [[ -f "$dest/fetched.marker" ]] && have="$(cat "$dest/fetched.marker")"
  if [[ "$have" == "$want" && -d "$dest/lib" ]]; then
    return 0
  fi
  # Never under a running JVM: it keeps running the old version from jars deleted beneath
  # it, and 'up' said "already running" (a review). Stopped first, the next up fetches.
  local -n svc="svc_$name" # its pid file and command-line marker, as start and stop read them
  local running=""
  running="$(our_pid "${svc[1]}" "${svc[2]}")" || running=""
  if [[ -n "$running" && -d "$dest/lib" ]]; then
    die "$name runs (pid $running) from jars fetched as '${have:-unknown}', and deploy/$name/pom.xml now asks for '$want': stop it first (bash deploy/services.sh down), then up fetches and starts the new one"
  fi
  say "fetching $name $(pom_prop "$pom" "$name.version") from Maven Central into ${dest#"$ROOT"/}/lib ..."
  mkdir -p "$dest" "$LOGS"
  rm -rf "$dest/lib.tmp"
  local t0=$SECONDS
  # -C: a download whose checksum does not match fails the fetch. Maven 3's default policy
  # only warns (and -q hides the warning), and the bad jar was then trusted by every 'up'.
  if ! mvn -q -B -C -f "$pom" -Dmaven.wagon.http.retryHandler.count=5 \
        dependency:copy-dependencies -DoutputDirectory="$dest/lib.tmp" >"$LOGS/fetch-$name.log" 2>&1; then
    tail -n 40 "$LOGS/fetch-$name.log" >&2 || true
    die "Maven fetch of $name failed (full log: ${LOGS#"$ROOT"/}/fetch-$name.log)"
  fi
  rm -rf "$dest/lib"
  mv "$dest/lib.tmp" "$dest/lib"
  printf '%s\n' "$want" >"$dest/fetched.marker"
  say "fetched $name: $(find "$dest/lib" -name '*.jar' | wc -l) jars, $(du -sh "$dest/lib" | cut -f1), $((SECONDS - t0)) s"
}

fetch_all() { fetch_one kafka; fetch_one neo4j; }

# ---------------------------------------------------------------- process helpers
pid_of() { # pid_of PIDFILE -> prints pid if the file names a live process
  local f="$1" pid
  [[ -f "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

our_pid() { # our_pid PIDFILE MARKER -> live pid whose command line contains MARKER
  local pid
  local cmdline
  pid="$(pid_of "$1")" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$2"* ]] || return 1
  echo "$pid"
}

kafka_answers() { python3 "$DEPLOY/wait_kafka.py" --host "$KAFKA_HOST" --port "$KAFKA_PORT" --timeout 3 2>/dev/null; }
neo4j_answers() {
  python3 "$DEPLOY/wait_neo4j.py" --host "$NEO4J_HOST" --port "$NEO4J_PORT" --timeout 3 2>/dev/null
}
neo4j_ready() { grep -q '^NEO4J READY' "$NEO4J_OUT" 2>/dev/null && neo4j_answers; }

launch() { # launch OUTFILE PIDFILE cmd... : detached (own session), pid recorded
  local out="$1" pidf="$2"; shift 2
  : >"$out"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$@" >>"$out" 2>&1 </dev/null &
  else
    nohup "$@" >>"$out" 2>&1 </dev/null &
  fi
  echo $! >"$pidf"
}

# ---------------------------------------------------------------- kafka
kafka_jvm_opts=()
kafka_prepare() {
  mkdir -p "$RUN/kafka" "$KAFKA_DATA" "$LOGS"
  # Bash's own substitution: the checkout's path may hold what sed reads as syntax ('&', '#');
  # the replacement quoted, or bash 5.2 reads its '&' as the match too.
  local template
  template=$(<"$DEPLOY/kafka/server.properties")
  printf '%s\n' "${template//@KAFKA_DATA_DIR@/"$KAFKA_DATA"}" >"$RUN/kafka/server.properties"
  kafka_jvm_opts=(
    -Djava.awt.headless=true
    -Dkafka.logs.dir="$LOGS"
    -Dlog4j2.configurationFile="$DEPLOY/kafka/log4j2.xml"
  )
  if [[ ! -s "$RUN/kafka/cluster.id" ]]; then
    # URL-safe base64 of 16 random bytes, no padding (22 chars); Kafka rejects ids starting with '-'.
    python3 -c 'import base64,os
while True:
    s=base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
    if not s.startswith("-"): print(s); break' >"$RUN/kafka/cluster.id"
  fi
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local cid; cid="$(cat "$RUN/kafka/cluster.id")"
    say "kafka: formatting storage (cluster id $cid) ..."
    if ! java -Xmx256m "${kafka_jvm_opts[@]}" -cp "$KAFKA_LIB/*" kafka.tools.StorageTool format \
          -t "$cid" -c "$RUN/kafka/server.properties" >"$LOGS/kafka-format.out" 2>&1; then
      tail -n 40 "$LOGS/kafka-format.out" >&2 || true
      die "kafka storage format failed (see ${LOGS#"$ROOT"/}/kafka-format.out)"
    fi
  fi
}

kafka_start() {
  kafka_prepare
  launch "$KAFKA_OUT" "$KAFKA_PID" java -Xmx"$KAFKA_HEAP" -Xms"$KAFKA_HEAP" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    "${kafka_jvm_opts[@]}" -cp "$KAFKA_LIB/*" kafka.Kafka "$RUN/kafka/server.properties"
  say "kafka: started pid $(cat "$KAFKA_PID") (log ${KAFKA_OUT#"$ROOT"/}, ${LOGS#"$ROOT"/}/kafka-server.log)"
}

# ---------------------------------------------------------------- neo4j
neo4j_start() {
  mkdir -p "$NEO4J_HOME" "$LOGS"
  launch "$NEO4J_OUT" "$NEO4J_PID" java -Xmx"$NEO4J_HEAP" -Xms"$NEO4J_HEAP" \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError \
    -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -Djdk.nio.maxCachedBufferSize=1024 \
    -Dlog4j2.disable.jmx=true \
    -Dneo4j.bolt.host="$NEO4J_HOST" -Dneo4j.bolt.port="$NEO4J_PORT" \
    -Dneo4j.pagecache.mib="$NEO4J_PAGECACHE_MIB" -Dneo4j.tx.timeout.s=60 \
    -cp "$NEO4J_LIB/*" "$DEPLOY/neo4j/Neo4jServer.java" "$NEO4J_HOME"
  say "neo4j: started pid $(cat "$NEO4J_PID") (log ${NEO4J_OUT#"$ROOT"/}, ${NEO4J_HOME#"$ROOT"/}/logs/debug.log)"
}

# ---------------------------------------------------------------- generic up/wait/down
# Per service: NAME PIDFILE CMD-MARKER READY-FN START-FN OUT-FILE EXTRA-LOG ENDPOINT
svc_kafka=(kafka "$KAFKA_PID" kafka.Kafka kafka_answers kafka_start "$KAFKA_OUT" "$LOGS/kafka-server.log" "$KAFKA_HOST:$KAFKA_PORT")
svc_neo4j=(neo4j "$NEO4J_PID" Neo4jServer neo4j_ready neo4j_start "$NEO4J_OUT" "$NEO4J_HOME/logs/debug.log" "bolt://$NEO4J_HOST:$NEO4J_PORT")

declare -A STARTED_AT=()
# start_if_needed -> sets NEED_WAIT to "yes" if we (or an earlier call) still have to wait
start_if_needed() {
  local name="$1" pidf="$2" marker="$3" ready="$4" start="$5" endpoint="$8" pid
  NEED_WAIT=no
  STARTED_AT[$name]=$SECONDS
  if pid="$(our_pid "$pidf" "$marker")"; then
    if "$ready"; then say "$name: already running (pid $pid, $endpoint)"; return 0; fi
    say "$name: pid $pid alive but not answering yet; waiting for it"
    NEED_WAIT=yes; return 0
  fi
  rm -f "$pidf"
  if [[ "$name" == kafka ]] && kafka_answers; then
    say "$name: $endpoint already answers (not started by services.sh; left alone)"; return 0
  fi
  if [[ "$name" == neo4j ]] && neo4j_answers; then
    say "$name: $endpoint already answers (not started by services.sh; left alone)"
    # Another checkout's graph: its install keys are in that checkout's .run/, and this
    # one's provisioning will refuse a pseudonym key the graph was not made with.
    say "$name: if it is another checkout's, use that checkout (or stop it): the graph keeps its install's pseudonym key"
    return 0
  fi
  "$start"
  NEED_WAIT=yes
}

show_logs() { # show_logs OUT EXTRA
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    echo "----- last 40 lines of ${f#"$ROOT"/} -----" >&2
    tail -n 40 "$f" >&2
  done
}

wait_ready() {
  local name="$1" pidf="$2" marker="$3" ready="$4" out="$6" extra="$7" endpoint="$8"
  local t0=${STARTED_AT[$name]:-$SECONDS} next=10 pid
  while :; do
    if ! pid="$(our_pid "$pidf" "$marker")"; then
      echo "[services] ERROR: $name exited during startup" >&2
      show_logs "$out" "$extra"
      return 1
    fi
    if "$ready"; then
      say "$name: ready on $endpoint after $((SECONDS - t0)) s (pid $pid)"
      return 0
    fi
    if ((SECONDS - t0 >= TIMEOUT)); then
      echo "[services] ERROR: $name not answering on $endpoint after ${TIMEOUT} s (pid $pid left running; 'down' stops it)" >&2
      show_logs "$out" "$extra"
      return 1
    fi
    if ((SECONDS - t0 >= next)); then
      say "$name: still waiting for $endpoint ($((SECONDS - t0)) s)"
      while ((next <= SECONDS - t0)); do next=$((next + 10)); done
    fi
    sleep 1
  done
}

STOPPING=()
signal_stop() { # phase 1: SIGTERM (both services get it at once, so they shut down in parallel)
  local name="$1" pidf="$2" marker="$3" pid
  if ! pid="$(our_pid "$pidf" "$marker")"; then
    rm -f "$pidf"; say "$name: not running"; return 0
  fi
  say "$name: stopping pid $pid ..."
  kill -TERM "$pid" 2>/dev/null || true
  STOPPING+=("$name:$pid:$pidf")
}

await_stop() { # phase 2: wait up to 30 s per process, then SIGKILL
  local entry name pid pidf i t0=$SECONDS
  for entry in ${STOPPING[@]+"${STOPPING[@]}"}; do
    IFS=: read -r name pid pidf <<<"$entry"
    for ((i = 0; i < 300; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name: still alive after 30 s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidf"
    say "$name: stopped ($((SECONDS - t0)) s)"
  done
  STOPPING=()
}

status_one() {
  local name="$1" pidf="$2" marker="$3" ready="$4" endpoint="$8" pid
  if pid="$(our_pid "$pidf" "$marker")"; then
    if "$ready"; then echo "$name: running (pid $pid), answering on $endpoint"
    else echo "$name: process alive (pid $pid) but NOT answering on $endpoint"; fi
  elif [[ "$name" == kafka ]] && kafka_answers; then
    echo "$name: not started by services.sh, but $endpoint answers"
  elif [[ "$name" == neo4j ]] && neo4j_answers; then
    echo "$name: not started by services.sh, but $endpoint answers"
  else
    echo "$name: stopped"
  fi
}

cmd_up() {
  require_tools
  fetch_all
  mkdir -p "$LOGS"
  local t0=$SECONDS wait_k wait_n rc=0
  start_if_needed "${svc_kafka[@]}"; wait_k=$NEED_WAIT
  start_if_needed "${svc_neo4j[@]}"; wait_n=$NEED_WAIT
  if [[ $wait_k == yes ]]; then wait_ready "${svc_kafka[@]}" || rc=1; fi
  if [[ $wait_n == yes ]]; then wait_ready "${svc_neo4j[@]}" || rc=1; fi
  if ((rc)); then die "startup failed"; fi
  if [[ $wait_k == yes || $wait_n == yes ]]; then say "all services up in $((SECONDS - t0)) s"; fi
  say "KAFKA bootstrap 127.0.0.1:$KAFKA_PORT  NEO4J bolt://127.0.0.1:$NEO4J_PORT (no auth)"
}

cmd_down() {
  signal_stop "${svc_kafka[@]}"
  signal_stop "${svc_neo4j[@]}"
  await_stop
}

cmd_status() {
  command -v python3 >/dev/null 2>&1 || die "missing required tool: python3"
  status_one "${svc_kafka[@]}"
  status_one "${svc_neo4j[@]}"
}

cmd_reset() {
  # make run's processes first: left running, they recreated the topics they touch before
  # provisioning ran again (auto-created, with one partition) and wrote to an unmigrated graph.
  bash "$DEPLOY/app.sh" down || true
  cmd_down
  rm -rf "$KAFKA_DATA" "$RUN/kafka/cluster.id" "$NEO4J_HOME"
  say "wiped ${KAFKA_DATA#"$ROOT"/} and ${NEO4J_HOME#"$ROOT"/}; next 'up' starts empty"
}

case "${1:-}" in
  up) cmd_up ;;
  down | stop) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  fetch) require_tools; fetch_all ;;
  restart) cmd_down; cmd_up ;;
  *) echo "usage: bash deploy/services.sh {up|down|status|reset|fetch|restart}" >&2; exit 2 ;;
esac
