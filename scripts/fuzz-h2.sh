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

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

out=.build-fuzz
mkdir -p "$out" Fuzz/artifacts Fuzz/corpus/h2
binary="$out/h2-server-fuzzer"
# The transport's sources and the one ProtoWire file they use (base64), as one module.
sources=$(find Sources/HTTP2Transport/Session Sources/HTTP2Transport/GRPC Sources/HTTP2Transport/Compression \
  Sources/ProtoWire/Wire/Base64Text.swift -name '*.swift' | sort)
if [[ ! -x "$binary" ]] || [[ -n $(find Sources/HTTP2Transport Sources/ProtoWire/Wire/Base64Text.swift \
  Fuzz/H2ServerFuzzer.swift -name '*.swift' -newer "$binary") ]]; then
  echo "fuzz-h2: building $binary" >&2
  # From a snapshot of the sources without their ProtoWire import (others may edit them meanwhile).
  rm -rf "$out/h2-src" && mkdir -p "$out/h2-src"
  for file in $sources; do
    sed -E '/^(internal |public )?import ProtoWire$/d' "$file" > "$out/h2-src/$(echo "$file" | tr '/' '_')"
  done
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name HTTP2Fuzz \
    -I Sources/CNGHTTP2 -I Sources/CZlib $(pkg-config --cflags-only-I libnghttp2 zlib | sed 's/-I/-Xcc -I/g') \
    "$out"/h2-src/*.swift Fuzz/H2ServerFuzzer.swift -lnghttp2 -lz -o "$binary"
fi

# Seeds: handcrafted client conversations (scripts/gen-h2-seeds.py), kept in the corpus.
python3 scripts/gen-h2-seeds.py Fuzz/corpus/h2

common=(-artifact_prefix=Fuzz/artifacts/ -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/h2 "${common[@]}"
