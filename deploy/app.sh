#!/usr/bin/env bash
# Start or stop ocsea-hub's own processes (stream worker, agency agents, HTTP API) in the
# background, logs in .run/logs/. Kafka and Neo4j are deploy/services.sh's job.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
RUN=.run
mkdir -p "$RUN/logs" "$RUN/faust"
API_PORT=${OCSEA_API_PORT:-8080}

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start() {  # name, command...
  local name=$1; shift
  if alive "$name"; then echo "$name: already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  setsid nohup "$@" >"$RUN/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$RUN/$name.pid"
  echo "$name: started (pid $!, log $RUN/logs/$name.log)"
}

wait_http() {  # name, url
  local name=$1 url=$2
  for i in $(seq 1 120); do
    if "$PY" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" 2>/dev/null; then
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

case "${1:-}" in
  up)
    # Provision once here so the two workers, which also provision on start, find it done.
    "$PY" -m streams.provision
    start streams "$PY" -m streams --datadir "$RUN/faust/streams" worker -l info
    start agents "$PY" -m agents --datadir "$RUN/faust/agents" worker -l info
    start api "$PY" -m api
    wait_http streams "http://127.0.0.1:${OCSEA_STREAMS_WEB_PORT:-6066}/metrics"
    wait_http agents "http://127.0.0.1:${OCSEA_AGENTS_WEB_PORT:-6067}/metrics"
    wait_http api "http://127.0.0.1:$API_PORT/healthz"
    ;;
  down) stop api; stop agents; stop streams ;;
  status) for n in streams agents api; do if alive $n; then echo "$n: running"; else echo "$n: stopped"; fi; done ;;
  *) echo "usage: deploy/app.sh up|down|status" >&2; exit 2 ;;
esac
