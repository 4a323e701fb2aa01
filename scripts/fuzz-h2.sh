#!/usr/bin/env bash
# Builds and runs the libFuzzer target for HTTP2Transport's server-side input (Fuzz/H2ServerFuzzer.swift):
# an nghttp2 server session, gRPC framing and zlib, fed whatever a client might send.
#
#   scripts/fuzz-h2.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/h2 (then minimise it)
#   scripts/fuzz-h2.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
#
# A crash leaves its input in Fuzz/artifacts/; keep it in Fuzz/corpus/h2 and as a named test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=fuzz
seconds=120
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --regression) mode=regression; shift ;;
    *) echo "usage: $0 [--seconds N | --regression]" >&2; exit 2 ;;
  esac
done

out=.build-fuzz
mkdir -p "$out" Fuzz/artifacts Fuzz/corpus/h2
binary="$out/h2-server-fuzzer"
sources=$(find Sources/HTTP2Transport/Session Sources/HTTP2Transport/GRPC Sources/HTTP2Transport/Compression -name '*.swift' | sort)
if [[ ! -x "$binary" ]] || [[ -n $(find Sources/HTTP2Transport Fuzz/H2ServerFuzzer.swift -name '*.swift' -newer "$binary") ]]; then
  echo "fuzz-h2: building $binary" >&2
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name HTTP2Fuzz \
    -I Sources/CNGHTTP2 -I Sources/CZlib $(pkg-config --cflags-only-I libnghttp2 zlib | sed 's/-I/-Xcc -I/g') \
    $sources Fuzz/H2ServerFuzzer.swift -lnghttp2 -lz -o "$binary"
fi

# Seeds: handcrafted client conversations (scripts/gen-h2-seeds.py), kept in the corpus.
python3 scripts/gen-h2-seeds.py Fuzz/corpus/h2

common=(-artifact_prefix=Fuzz/artifacts/ -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
if [[ $mode == regression ]]; then
  # Every kept input once, then 20,000 new inputs from a fixed seed into a scratch corpus, so
  # that a given commit always runs the same inputs (exploring for longer is `--seconds N`).
  "$binary" "${common[@]}" -runs=0 Fuzz/corpus/h2
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  "$binary" "${common[@]}" -seed=1 -runs=20000 "$scratch" Fuzz/corpus/h2
else
  "$binary" "${common[@]}" -max_total_time="$seconds" Fuzz/corpus/h2
  merged=$(mktemp -d)
  "$binary" -merge=1 "$merged" Fuzz/corpus/h2 >/dev/null 2>&1
  rm -rf Fuzz/corpus/h2 && mv "$merged" Fuzz/corpus/h2
fi
