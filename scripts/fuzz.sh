#!/usr/bin/env bash
# Builds and runs the libFuzzer target for ProtoWire's decoders (Fuzz/WireDecoderFuzzer.swift).
#
#   scripts/fuzz.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/wire (then minimise it)
#   scripts/fuzz.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
#
# A crash leaves its input in Fuzz/artifacts/; keep it as a regression file in the corpus and as a
# named test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

out=.build-fuzz
mkdir -p "$out" Fuzz/artifacts Fuzz/corpus/wire
binary="$out/wire-decoder-fuzzer"
# The decoders under test: wire format, descriptor model and DynamicMessage (not the .proto compiler,
# which has its own fuzzer).
source_dirs=(Sources/ProtoWire/Wire Sources/ProtoWire/Descriptors Sources/ProtoWire/Dynamic)
sources=$(find "${source_dirs[@]}" -name '*.swift' | sort)
if [[ ! -x "$binary" ]] || [[ -n $(find "${source_dirs[@]}" Fuzz -name '*.swift' -newer "$binary") ]]; then
  echo "fuzz: building $binary" >&2
  # ld.gold warns once per ASan helper symbol; those lines are noise.
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name ProtoWireFuzz \
    $sources Fuzz/WireDecoderFuzzer.swift -o "$binary" 2>&1 | { grep -v 'Cannot export local symbol' || true; }
  [[ ${PIPESTATUS[0]} -eq 0 ]] || { echo "fuzz: build failed" >&2; exit 1; }
fi

# Seed the corpus from the protoc-made fixtures and descriptor sets (kept inputs stay).
for seed in Tests/ProtoWireTests/Fixtures/*.bin protos/descriptors/*.pb; do
  cp -n "$seed" "Fuzz/corpus/wire/seed-$(basename "$seed")" 2>/dev/null || true
done

export FUZZ_DESCRIPTOR_SET=protos/descriptors/kitchen_sink.pb
common=(-artifact_prefix=Fuzz/artifacts/ -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/wire "${common[@]}"
