#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the ProtoJSON codec (Fuzz/JSONCodecFuzzer.swift).
#
#   scripts/fuzz-json.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/json (then minimise it)
#   scripts/fuzz-json.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
#
# Inputs start with a mode byte (bit 0: 0 = JSON in, 1 = protobuf in; bits 1-3: print options).
# A crash leaves its input in Fuzz/artifacts/; keep it in the corpus and as a named test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

out=.build-fuzz-json
mkdir -p "$out/src" Fuzz/artifacts Fuzz/corpus/json
binary="$out/json-codec-fuzzer"
if [[ ! -x "$binary" ]] || [[ -n $(find Sources/ProtoWire Sources/Transcoder/JSON Fuzz -name '*.swift' -newer "$binary") ]]; then
  echo "fuzz-json: building $binary" >&2
  # One module from a snapshot of the sources (others may edit them meanwhile); the JSON sources
  # lose their `import ProtoWire`.
  rm -rf "$out/src" && mkdir -p "$out/src"
  while IFS= read -r file; do
    sed '/^import ProtoWire$/d' "$file" > "$out/src/$(echo "$file" | tr '/' '_')"
  done < <(find Sources/ProtoWire Sources/Transcoder/JSON -name '*.swift' | sort)
  cp Fuzz/JSONCodecFuzzer.swift "$out/src/"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name JSONFuzz \
    "$out"/src/*.swift -o "$binary"
fi

# Seed the corpus from the golden cases: JSON inputs (mode 0) and protoc-made messages (mode 1).
if [[ -z $(ls -A Fuzz/corpus/json) ]]; then
  n=0
  grep -h '^json: ' Tests/TranscoderTests/Golden/*.cases | sed 's/^json: //' | while IFS= read -r line; do
    n=$((n + 1))
    { printf '\x00'; printf '%s' "$line"; } > "Fuzz/corpus/json/seed-json-$n"
  done
  for seed in Tests/ProtoWireTests/Fixtures/*.bin; do
    { printf '\x01'; cat "$seed"; } > "Fuzz/corpus/json/seed-proto-$(basename "$seed")"
  done
fi

export FUZZ_DESCRIPTOR_SET=protos/descriptors/kitchen_sink.pb
common=(-artifact_prefix=Fuzz/artifacts/ -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/json "${common[@]}"
