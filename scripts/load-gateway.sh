#!/usr/bin/env bash
# A bounded loopback load run of the gateway (release build) with h2load over HTTP/1.1, in front
# of the in-process demo bookstore backend (`grpc-gateway demo`), which shares the machine's
# cores: numbers are for gateway + backend together.
#
#   scripts/load-gateway.sh [REQUESTS]     default 40000 per run; GET and a ~1 KB POST at 32 and 256 connections
#
# Prints h2load's summary lines plus the process's RSS (KiB) and CPU% after each run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
requests=${1:-40000}
scratch=.build-gw-release
swift build -c release --scratch-path "$scratch" --product grpc-gateway >/dev/null
command -v h2load >/dev/null || { echo "load-gateway: h2load missing (apt-get install nghttp2-client)" >&2; exit 1; }

port=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
log=$(mktemp)
body=$(mktemp)
"$scratch/release/grpc-gateway" demo --listen "127.0.0.1:$port" >"$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log" "$body"' EXIT
for _ in $(seq 50); do grep -q "Press Ctrl-C" "$log" && break; sleep 0.1; done
python3 -c "
import json, sys
d = 'lorem ipsum dolor sit amet ' * 34
book = {'name': 'shelves/1/books/1', 'title': 'A Long Book', 'author': 'Somebody', 'genre': 'GENRE_FICTION', 'pageCount': '512', 'labels': {'d': d}}
sys.stdout.write(json.dumps({'book': book}))
" >"$body"

run() {
  local name=$1 connections=$2; shift 2
  echo "== $name, $connections connections"
  timeout 120 h2load --h1 -n "$requests" -c "$connections" -t 1 "$@" 2>&1 |
    grep -E "finished in|requests:|status codes|time for request"
  echo "rss_kib cpu%: $(ps -o rss=,pcpu= -p $pid)"
}
for c in 32 256; do run "GET /v1/shelves/1/books/2" "$c" "http://127.0.0.1:$port/v1/shelves/1/books/2"; done
for c in 32 256; do
  # UpdateBook echoes the ~1 KB book back (PATCH; h2load -d sends POST, so use the auto-mapped route).
  run "POST ~1 KB echo (UpdateBook)" "$c" -d "$body" -H 'content-type: application/json' \
    "http://127.0.0.1:$port/example.bookstore.v1.Bookstore/UpdateBook"
done
