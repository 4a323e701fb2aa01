#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building and testing grpc-gateway.
# Idempotent: does nothing when everything is present. Used by `make run`, `make test` and CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

missing=()
pkg-config --exists libnghttp2 2>/dev/null || missing+=(libnghttp2-dev)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
[[ -f /usr/include/google/protobuf/timestamp.proto ]] || missing+=(libprotobuf-dev)
[[ -f /usr/include/google/protobuf/compiler/plugin.proto ]] || missing+=(libprotoc-dev)
command -v git >/dev/null 2>&1 || missing+=(git)  # SwiftPM fetches packages with git
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)  # HTTP2Transport server-role tests
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)  # headless browser for the gateway's CORS test

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python test peers (protobuf, grpcio). A Python that refuses pip installs (Debian's own, PEP 668)
# gets a project virtualenv in .venv instead; the Makefile puts .venv/bin first on PATH.
if ! python3 -c 'import google.protobuf, grpc' >/dev/null 2>&1; then
  echo "bootstrap: installing Python test requirements" >&2
  if ! python3 -m pip install -q -r requirements-test.txt 2>/dev/null; then
    python3 -m venv .venv
    .venv/bin/python3 -m pip install -q -r requirements-test.txt
    echo "bootstrap: Python test requirements are in .venv (make puts .venv/bin on PATH)" >&2
  fi
fi

command -v swift >/dev/null 2>&1 || {
  echo "bootstrap: swift is not on PATH (this project needs Swift 6.1 or newer)" >&2
  exit 1
}
