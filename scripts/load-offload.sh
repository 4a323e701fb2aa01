#!/usr/bin/env bash
# Gateway req/s and CPU per request for a ~10 KB JSON answer with and without gzip (release
# build, loopback, bounded). Two `grpc-gateway serve` processes run side by side in front of the
# in-process demo bookstore (`grpc-gateway demo`, a Swift gRPC backend on its own cores' share):
# one plain, one with --compress. Runs are interleaved (plain, gzip, plain, gzip, …) so machine
# noise hits both alike; h2load --h1 sends `accept-encoding: gzip` to both.
#
#   scripts/load-offload.sh [REQUESTS] [ROUNDS]    default 20000 requests per run, 3 rounds, 32 connections
#
# Prints per run: req/s, the serve process's CPU µs per request (utime+stime from /proc), and
# bytes per answer on the wire.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
requests=${1:-20000}
rounds=${2:-3}
scratch=${SCRATCH:-.build-cors-release}
swift build -c release --scratch-path "$scratch" --product grpc-gateway >/dev/null
binary="$scratch/release/grpc-gateway"
command -v h2load >/dev/null || { echo "load-offload: h2load missing (apt-get install nghttp2-client)" >&2; exit 1; }

free_port() { python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
demo_port=$(free_port)
plain_port=$(free_port)
gzip_port=$(free_port)
logs=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$logs"
}
trap cleanup EXIT

"$binary" demo --listen "127.0.0.1:$demo_port" >"$logs/demo" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "Press Ctrl-C" "$logs/demo" && break; sleep 0.1; done
grpc_port=$(sed -n 's/.*gRPC on 127.0.0.1:\([0-9]*\).*/\1/p' "$logs/demo" | head -1)
[[ -n $grpc_port ]] || { echo "load-offload: the demo did not start" >&2; cat "$logs/demo" >&2; exit 1; }
# Grow shelf 1 to a ~10 KB ListBooks answer.
for i in $(seq 70); do
  curl -s -o /dev/null -H 'content-type: application/json' \
    -d "{\"title\":\"The collected works, volume $i\",\"author\":\"Author number $((i * 7919 % 997))\",\"genre\":\"GENRE_FICTION\",\"pageCount\":\"$((100 + i))\"}" \
    "http://127.0.0.1:$demo_port/v1/shelves/1/books"
done

serve() {
  local port=$1 name=$2; shift 2
  "$binary" serve --descriptor-set protos/descriptors/bookstore.pb --backend "127.0.0.1:$grpc_port" \
    --listen "127.0.0.1:$port" --no-access-log "$@" >"$logs/$name" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$logs/$name" && break; sleep 0.1; done
}
serve "$plain_port" plain
plain_pid=${pids[-1]}
serve "$gzip_port" gzip --compress
gzip_pid=${pids[-1]}

url_path=/v1/shelves/1/books
plain_bytes=$(curl -s -H 'accept-encoding: gzip' "http://127.0.0.1:$plain_port$url_path" | wc -c)
gzip_bytes=$(curl -s -H 'accept-encoding: gzip' "http://127.0.0.1:$gzip_port$url_path" | wc -c)
echo "answer on the wire: plain $plain_bytes B, gzip $gzip_bytes B"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
run() {
  local name=$1 port=$2 pid=$3
  local before after seconds rps
  before=$(cpu_ticks "$pid")
  out=$(timeout 120 h2load --h1 -n "$requests" -c 32 -t 1 -H 'accept-encoding: gzip' "http://127.0.0.1:$port$url_path" 2>&1)
  after=$(cpu_ticks "$pid")
  rps=$(echo "$out" | sed -n 's/.*finished in [0-9.]*m\?s, \([0-9.]*\) req\/s.*/\1/p')
  ok=$(echo "$out" | sed -n 's/.*status codes: \([0-9]*\) 2xx.*/\1/p')
  cpu_us=$(python3 -c "print(round(($after - $before) / $ticks_per_second * 1e6 / $requests, 1))")
  printf '%-6s req/s %8s   cpu/request %7s us   2xx %s/%s\n' "$name" "$rps" "$cpu_us" "$ok" "$requests"
}
h2load --h1 -n 2000 -c 32 -t 1 -H 'accept-encoding: gzip' "http://127.0.0.1:$plain_port$url_path" >/dev/null 2>&1
h2load --h1 -n 2000 -c 32 -t 1 -H 'accept-encoding: gzip' "http://127.0.0.1:$gzip_port$url_path" >/dev/null 2>&1
for round in $(seq "$rounds"); do
  echo "== round $round"
  run plain "$plain_port" "$plain_pid"
  run gzip "$gzip_port" "$gzip_pid"
done
