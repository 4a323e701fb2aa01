#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the .proto compiler (Fuzz/SchemaCompilerFuzzer.swift).
#
#   scripts/fuzz-schema.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/schema (then minimise it)
#   scripts/fuzz-schema.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI), and
#                                          check that we accept no kept input that protoc rejects
#
# A crash leaves its input in Fuzz/artifacts/; keep it as a regression file in the corpus and as a
# named test. The protoc check needs the built CLI (.build/debug/grpc-gateway) and protoc.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

out=.build-fuzz
mkdir -p "$out" Fuzz/artifacts Fuzz/corpus/schema
binary="$out/schema-compiler-fuzzer"
sources=$(find Sources/ProtoWire -name '*.swift' | sort)
if [[ ! -x "$binary" ]] || [[ -n $(find Sources/ProtoWire Fuzz/SchemaCompilerFuzzer.swift -name '*.swift' -newer "$binary") ]]; then
  echo "fuzz-schema: building $binary" >&2
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name ProtoWireSchemaFuzz \
    $sources Fuzz/SchemaCompilerFuzzer.swift -o "$binary"
fi

# Seed the corpus from the schemas we ship and the differential-test corpus (kept inputs stay).
for seed in protos/google/api/*.proto protos/examples/*/v1/*.proto Tests/ProtoWireTests/SchemaCorpus/*.proto \
  Sources/ProtoWire/Schema/Bundled/google/protobuf/*.proto; do
  cp -n "$seed" "Fuzz/corpus/schema/seed-$(basename "$seed")" 2>/dev/null || true
done

common=(-artifact_prefix=Fuzz/artifacts/ -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/schema "${common[@]}"
if [[ $mode == regression ]]; then
  # Never accept what protoc rejects: every kept input, compiled as fuzz.proto by both.
  cli="${GRPC_GATEWAY_BIN:-.build/debug/grpc-gateway}"
  if [[ -x "$cli" ]] && command -v protoc >/dev/null; then
    dir=$(mktemp -d)
    trap 'rm -rf "$scratch" "$dir"' EXIT
    sed -n '/^private let dependency = Array("""$/,/^    """.utf8)$/p' Fuzz/SchemaCompilerFuzzer.swift \
      | sed '1d;$d;s/^    //' >"$dir/dep.proto"
    accepted=0 disagreements=0
    for input in Fuzz/corpus/schema/*; do
      cp "$input" "$dir/fuzz.proto"
      if "$cli" describe --proto-path "$dir" --proto fuzz.proto >/dev/null 2>&1; then
        accepted=$((accepted + 1))
        if ! protoc -I "$dir" -I protos -I /usr/include --descriptor_set_out=/dev/null fuzz.proto >/dev/null 2>&1; then
          echo "error: we accept $input but protoc rejects it:" >&2
          protoc -I "$dir" -I protos -I /usr/include --descriptor_set_out=/dev/null fuzz.proto 2>&1 | head -5 >&2 || true
          disagreements=$((disagreements + 1))
        fi
      fi
    done
    echo "fuzz-schema: $accepted kept inputs accepted, all accepted by protoc too unless listed above"
    [[ $disagreements -eq 0 ]] || exit 1
  else
    echo "fuzz-schema: skipping the protoc comparison (build the CLI and install protoc)" >&2
  fi
fi
