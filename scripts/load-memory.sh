#!/usr/bin/env bash
# Where the gateway's memory goes under a 256-connection loopback load: RSS (anonymous vs
# file-backed) and glibc's arena totals after each stage (scripts/load-memory.py has the stages).
# Bounded: each load runs SECONDS (default 5); every process it starts is stopped by PID.
#
#   scripts/load-memory.sh [--dynamic] [--seconds N] [--connections N]
#
# Measures the release binary as it ships (Swift runtime and Foundation linked statically, the
# build load-compare.sh measures), or with --dynamic the dynamically linked one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
args=()
dynamic=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dynamic) dynamic=1; shift ;;
    --seconds|--connections) args+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--dynamic] [--seconds N] [--connections N]" >&2; exit 2 ;;
  esac
done
for tool in h2load:nghttp2-client wrk:wrk gdb:gdb; do
  command -v "${tool%%:*}" >/dev/null || { echo "load-memory: installing ${tool#*:}" >&2; apt-get install -y "${tool#*:}" >/dev/null; }
done
if [[ $dynamic == 1 ]]; then
  scratch=.build-release
  swift build -c release --scratch-path "$scratch" --product grpc-gateway >/dev/null
else
  scratch=.build-static
  swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product grpc-gateway >/dev/null
fi
exec timeout 600 python3 scripts/load-memory.py --binary "$PWD/$scratch/release/grpc-gateway" "${args[@]}"
