#!/usr/bin/env bash
# Start or stop ocsea-hub's own processes (stream worker, agency agents, HTTP API) in the
# background, logs in .run/logs/. Kafka and Neo4j are deploy/services.sh's job.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUN=.run
mkdir -p "$RUN/logs" "$RUN/faust"
API_PORT=${OCSEA_API_PORT:-8080}

# A pid file names our process only while that pid runs `python -m NAME`: after a reboot or
# a crash the pid may be another program's, which `down` would otherwise kill (its group).
alive() {
  local pid cmdline
  pid=$(cat "$RUN/$1.pid" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    cmdline=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || return 1
  else  # no /proc (macOS): ps says the same
    cmdline="$(ps -o args= -p "$pid" 2>/dev/null) " || return 1
    [ "$cmdline" != " " ] || return 1
  fi
  [[ "$cmdline" == *"-m $1 "* || "$cmdline" == *"-m $1" ]]
}

answers() { "$PY" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }
# Something may already listen on a port (another checkout's `make run`, an API started by
# hand): ours would exit at once while the port went on answering.
taken() {  # url
  "$PY" -c "
import socket, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
socket.create_connection((u.hostname, u.port), timeout=2).close()" "$1" 2>/dev/null
}

free_or_ours() {  # name, url: refuse a port that something other than ours listens on
  if ! alive "$1" && taken "$2"; then
    echo "$1: something else listens at $2 (not this checkout's $1): stop it first" >&2
    return 1
  fi
}

start() {  # name, command...
  local name=$1; shift
  if alive "$name"; then echo "$name: already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  rm -f "$RUN/$name.pid"
  if command -v setsid >/dev/null; then
    setsid nohup "$@" >"$RUN/logs/$name.log" 2>&1 < /dev/null &
  else
    nohup "$@" >"$RUN/logs/$name.log" 2>&1 < /dev/null &
  fi
  echo $! >"$RUN/$name.pid"
  echo "$name: started (pid $!, log $RUN/logs/$name.log)"
}

wait_http() {  # name, url
  local name=$1 url=$2
  for i in $(seq 1 120); do
    # Ours must be alive too: what answers could be another process on the port.
    if answers "$url" && alive "$name"; then
      echo "$name: answering at $url"; return 0
    fi
    if ! alive "$name"; then break; fi
    [ $((i % 10)) -eq 0 ] && echo "$name: still starting (${i}s)"
    sleep 1
  done
  echo "$name: did not start; last lines of $RUN/logs/$name.log:" >&2
  tail -n 40 "$RUN/logs/$name.log" >&2
  return 1
}

stop() {
  local name=$1
  if alive "$name"; then
    local pid; pid=$(cat "$RUN/$name.pid")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    echo "$name: stopped"
  fi
  rm -f "$RUN/$name.pid"
}

# A process started before the code changed (a pull, a checkout) is stopped before the new
# code provisions: the data repairs move stored keys to today's forms, and an old worker
# linking on would write the old forms again after them, for good.
CODE_DIRS=(streams agents graph contracts runtime api)
stop_if_stale() {
  local name=$1
  alive "$name" || return 0
  if [ -n "$(find "${CODE_DIRS[@]}" \( -name '*.py' -o -name '*.cypher' \) -newer "$RUN/$name.pid" -print -quit)" ]; then
    echo "$name: the code changed since it started; restarting it"
    stop "$name"
  fi
}

case "${1:-}" in
  up)
    stop_if_stale api; stop_if_stale agents; stop_if_stale streams
    # Provision once here so the two workers, which also provision on start, find it done.
    "$PY" -m streams.provision
    STREAMS_URL="http://127.0.0.1:${OCSEA_STREAMS_WEB_PORT:-6066}/metrics"
    AGENTS_URL="http://127.0.0.1:${OCSEA_AGENTS_WEB_PORT:-6067}/metrics"
    API_URL="http://127.0.0.1:$API_PORT/healthz"
    free_or_ours streams "$STREAMS_URL"
    free_or_ours agents "$AGENTS_URL"
    free_or_ours api "$API_URL"
    start streams "$PY" -m streams --datadir "$RUN/faust/streams" worker -l info
    start agents "$PY" -m agents --datadir "$RUN/faust/agents" worker -l info
    start api "$PY" -m api
    wait_http streams "$STREAMS_URL"
    wait_http agents "$AGENTS_URL"
    wait_http api "$API_URL"
    ;;
  down) stop api; stop agents; stop streams ;;
  status) for n in streams agents api; do if alive $n; then echo "$n: running"; else echo "$n: stopped"; fi; done ;;
  *) echo "usage: deploy/app.sh up|down|status" >&2; exit 2 ;;
esac
