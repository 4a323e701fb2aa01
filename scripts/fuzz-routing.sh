#!/usr/bin/env bash
# Builds and runs the libFuzzer target for the router (Fuzz/RoutingFuzzer.swift): the path
# template parser, and the matcher plus request assembly on protos/descriptors/routing.pb.
#
#   scripts/fuzz-routing.sh --seconds N     fuzz for N seconds, growing Fuzz/corpus/routing (then minimise it)
#   scripts/fuzz-routing.sh --regression    run every kept input once, plus 20,000 seeded new ones (CI)
#
# A crash leaves its input in Fuzz/artifacts/; keep it in the corpus and as a named test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/lib/fuzz-common.sh
fuzz_parse_args "$@"

out=.build-fuzz-routing
mkdir -p "$out/modules" Fuzz/artifacts Fuzz/corpus/routing
binary="$out/routing-fuzzer"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -wmo)
if [[ ! -x "$binary" ]] || [[ -n $(find Sources/ProtoWire Sources/Transcoder Fuzz/RoutingFuzzer.swift -name '*.swift' -newer "$binary") ]]; then
  echo "fuzz-routing: building $binary" >&2
  # ProtoWire and Transcoder as modules (instrumented objects), then the fuzzer against them.
  for module in ProtoWire Transcoder; do
    swiftc "${flags[@]}" -module-name "$module" -I "$out/modules" -emit-module \
      -emit-module-path "$out/modules/$module.swiftmodule" -c -o "$out/$module.o" \
      $(find "Sources/$module" -name '*.swift' | sort)
  done
  swiftc "${flags[@]}" -module-name RoutingFuzz -I "$out/modules" Fuzz/RoutingFuzzer.swift \
    "$out/ProtoWire.o" "$out/Transcoder.o" -o "$binary"
fi

# Seeds: every template and target form the tests use (mode byte 0 = template, 1 = GET, 3 = POST).
seed() { printf "$1%s" "$2" > "Fuzz/corpus/routing/seed-$3"; }
seed '\x00' '/v1/{name=projects/*/items/*}:get' template-multi
seed '\x00' '/v1/files/{name=**}:download' template-verb
seed '\x00' '/v1/{a}/x/{b.c_d=y/*}/*' template-vars
seed '\x01' '/v1/items/a%2Fb%20c%3A?f_int32=3&tags=a&tags=b&labels[k]=v' target-get
seed '\x01' '/v1/files/a/b:download?x=1' target-files
seed '\x01' '/v1/items/since/2024-01-01T00:00:00Z/COLOR_RED?duration=1.5s&mask=a,b' target-since
seed '\x03' '/v1/projects/p/items/i:get' target-post

export FUZZ_DESCRIPTOR_SET=protos/descriptors/routing.pb
common=(-artifact_prefix=Fuzz/artifacts/ -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
fuzz_run "$binary" Fuzz/corpus/routing "${common[@]}"
